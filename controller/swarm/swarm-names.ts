import type { DesiredObject } from '../../specs/model.js';
import type { Problem } from '../../specs/problems.js';
import { BerthError } from '../errors.js';
import { engineName, resourceEngineName } from '../labels.js';
import { declaredServices, versionedName } from '../engine/swarm/swarm-service-spec.js';

/**
 * The longest names a Swarm manager accepts (Docker 20.10, seen on the test cluster): 63
 * characters for services and overlay networks, 64 for secrets and configs. A longer one
 * is refused only when its create call runs, after the objects before it were made.
 */
const LIMIT = { service: 63, network: 63, secret: 64, config: 64 } as const;

/**
 * Every object of `desired` whose Swarm name (with the project, and a value's digest for
 * secrets and configs) is longer than the Swarm accepts, at its manifest position. Pure.
 */
export function swarmNameProblems(desired: readonly DesiredObject[], project: string): Problem[] {
  const named: [DesiredObject, keyof typeof LIMIT, string][] = [];
  for (const s of declaredServices(desired))
    named.push([s.object, 'service', engineName(project, s.name)]);
  for (const o of desired) {
    if (o.kind === 'Network' && !o.spec.external)
      named.push([o, 'network', resourceEngineName(project, o)]);
    if (o.kind === 'Secret' || o.kind === 'Config')
      named.push([
        o,
        o.kind === 'Secret' ? 'secret' : 'config',
        versionedName(project, o.name, o.spec.digest),
      ]);
  }
  return named
    .filter(([, type, name]) => name.length > LIMIT[type])
    .map(([o, type, name]) => ({
      ...o.source,
      code: 'E_NAME',
      message:
        `${o.kind} "${o.name}": its Swarm ${type} name ${name} has ${name.length} characters; ` +
        `a Swarm allows ${LIMIT[type]} (shorten the project name or metadata.name)`,
    }));
}

/**
 * Throws E_MANIFEST (exit 1) naming every object whose Swarm name is too long, before any
 * change: what `apply`, `plan` and each reconcile of `watch` check first.
 */
export function assertSwarmNames(desired: readonly DesiredObject[], project: string): void {
  const problems = swarmNameProblems(desired, project);
  if (problems.length === 0) return;
  const n = problems.length;
  throw new BerthError(
    'E_MANIFEST',
    `${n} name${n === 1 ? '' : 's'} too long for the Swarm; nothing was changed`,
    { problems },
  );
}
