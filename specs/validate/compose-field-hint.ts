import type { Kind } from '../model.js';

/**
 * Compose service keys with no berth field one typo away (F841): what a Container's spec says
 * instead. `depends_on`, `cap_add`, `working_dir` and the like already get "did you mean"
 * (suggest.ts); these did not, and a Compose user writes them first.
 */
const CONTAINER_SPELLINGS: Readonly<Record<string, string>> = {
  secrets: 'mounts: [{secret: NAME}] (and a Secret object NAME)',
  configs: 'mounts: [{config: NAME}] (and a Config object NAME)',
  volumes: 'mounts: [{volume: NAME, target: /path}] or [{bindMount: NAME, target: /path}]',
  environment: 'env: {NAME: value}',
  entrypoint: "command: [...] (and Compose's command is args)",
  restart: 'restartPolicy: Always | OnFailure | Never',
  container_name: 'metadata.name (the engine name is <project>-<name>)',
  build: 'an Image object with build: {context: .}, named in image:',
  deploy: 'replicas, resources and update at the top of spec',
};

/** `; Compose's "secrets" is written mounts: [...]` for a Container spec key, else ''. */
export function composeFieldHint(
  kind: Kind | 'Envelope',
  path: readonly (string | number)[],
  field: string,
): string {
  if (kind !== 'Container' || path.length !== 1 || path[0] !== 'spec') return '';
  const instead = Object.hasOwn(CONTAINER_SPELLINGS, field)
    ? CONTAINER_SPELLINGS[field]
    : undefined;
  return instead
    ? `; Compose's "${field}" is written ${instead} (berth import converts Compose files)`
    : '';
}
