import type { DesiredObject } from '../../specs/model.js';
import { LABEL } from '../labels.js';
import { versionedName } from '../engine/swarm/swarm-service-spec.js';
import type { ObservedSwarmObject, SwarmObserved } from '../engine/swarm/swarm-types.js';

/** One declared Secret or Config on a Swarm: is its current value there. */
export interface SwarmFileStatus {
  /** `Config/site`, `Secret/db-password`. */
  key: string;
  /** The Swarm object of the declared value (`<project>-<name>-<12 hex>`). */
  name: string;
  /** The declared value is on the Swarm (values are immutable there: the name says which). */
  inSync: boolean;
  reason?: string;
}

/** What status compares a secret or config against: its declared value's Swarm name. */
export interface WantedFile {
  key: string;
  kind: 'Secret' | 'Config';
  /** `metadata.name`. */
  name: string;
  /** The Swarm name of the value wanted (from the manifests), or of one found (without). */
  swarmName: string;
}

/** The secrets and configs the manifests declare, by the Swarm name of their value. */
export function wantedFilesFromSpecs(
  desired: readonly DesiredObject[],
  project: string,
): WantedFile[] {
  return desired.flatMap((o) =>
    o.kind === 'Secret' || o.kind === 'Config'
      ? [
          {
            key: `${o.kind}/${o.name}`,
            kind: o.kind,
            name: o.name,
            swarmName: versionedName(project, o.name, o.spec.digest),
          },
        ]
      : [],
  );
}

/** Without manifests: every secret and config version of the project, each as it is. */
export function wantedFilesFromEngine(observed: SwarmObserved): WantedFile[] {
  const of = (kind: 'Secret' | 'Config', list: readonly ObservedSwarmObject[]) =>
    list.map((o) => {
      const name = o.labels[LABEL.name] ?? o.name;
      return { key: `${kind}/${name}`, kind, name, swarmName: o.name };
    });
  // The manager lists in no set order: configs, then secrets, each by name: stable output.
  return [...of('Secret', observed.secrets), ...of('Config', observed.configs)].sort(
    (x, y) => x.kind.localeCompare(y.kind) || x.swarmName.localeCompare(y.swarmName),
  );
}

/**
 * Each wanted secret or config against one observe: in sync when the object of its value
 * is listed; otherwise the reason says whether an older value is there (the manifests
 * changed since the last apply) or none at all. Never reads or shows a value. Pure.
 */
export function swarmFileStatus(
  wanted: readonly WantedFile[],
  observed: SwarmObserved,
): SwarmFileStatus[] {
  return wanted.map((w) => {
    const list = w.kind === 'Secret' ? observed.secrets : observed.configs;
    if (list.some((o) => o.name === w.swarmName))
      return { key: w.key, name: w.swarmName, inSync: true };
    const older = list.some((o) => o.labels[LABEL.name] === w.name);
    const reason = older ? 'value changed: apply to roll it out' : 'not created yet';
    return { key: w.key, name: w.swarmName, inSync: false, reason };
  });
}
