import type { ContainerObject, DesiredObject } from './model.js';
import type { ValuePath } from './parse/locate.js';
import type { Problem } from './problems.js';
import { positionOf } from './positions.js';
import { objectLabel } from './validate/schema-errors.js';

/**
 * Fields that older engines cannot carry, with the Engine API version that added them.
 * Anything not listed works on API 1.41 (Docker 20.10), berth's floor. An engine that is
 * too old would ignore such a field silently (Go's JSON decoding drops unknown members),
 * so berth refuses the set before any change instead.
 */
export const FIELD_MIN_API: readonly {
  field: string;
  minApi: string;
  /** Where a container uses the field (paths into its manifest). */
  usedAt(c: ContainerObject): ValuePath[];
}[] = [
  {
    field: 'mounts[].subpath',
    minApi: '1.45',
    usedAt: (c) =>
      c.spec.mounts.flatMap((m, i) =>
        m.type === 'volume' && m.subpath !== undefined ? [['spec', 'mounts', i, 'subpath']] : [],
      ),
  },
  {
    field: 'healthcheck.startInterval',
    minApi: '1.44',
    usedAt: (c) =>
      c.spec.healthcheck?.startIntervalMs === undefined
        ? []
        : [['spec', 'healthcheck', 'startInterval']],
  },
  {
    // Before 1.44 a MAC address belongs to the container, i.e. to its first network only.
    field: 'networks[].macAddress on a second network',
    minApi: '1.44',
    usedAt: (c) =>
      c.spec.networks.flatMap((n, i) =>
        n.macAddress && i !== firstAttached(c) ? [['spec', 'networks', i, 'macAddress']] : [],
      ),
  },
];

/** Index of the network attached at create: the highest priority, the first among equals. */
function firstAttached(c: ContainerObject): number {
  let best = 0;
  c.spec.networks.forEach((n, i) => {
    if ((n.priority ?? 0) > (c.spec.networks[best]?.priority ?? 0)) best = i;
  });
  return best;
}

/** Whether any object uses a field newer than the floor (then the engine must be asked). */
export function needsEngineApiCheck(objects: readonly DesiredObject[]): boolean {
  return objects.some(
    (o) => o.kind === 'Container' && FIELD_MIN_API.some((f) => f.usedAt(o).length > 0),
  );
}

/** `1.41` < `1.45`, numerically per part. */
export function apiAtLeast(version: string, min: string): boolean {
  const [a = 0, b = 0] = version.split('.').map(Number);
  const [x = 0, y = 0] = min.split('.').map(Number);
  return a > x || (a === x && b >= y);
}

/** Every use of a field the engine (speaking `apiVersion`) cannot carry, as E_ENGINE_API. */
export function engineApiProblems(
  objects: readonly DesiredObject[],
  apiVersion: string,
): Problem[] {
  const problems: Problem[] = [];
  for (const o of objects) {
    if (o.kind !== 'Container') continue;
    for (const { field, minApi, usedAt } of FIELD_MIN_API) {
      if (apiAtLeast(apiVersion, minApi)) continue;
      for (const path of usedAt(o))
        problems.push({
          ...positionOf(o, path),
          code: 'E_ENGINE_API',
          message: `${objectLabel(o.kind, o.name)}: ${field} needs Engine API ${minApi}; the engine speaks ${apiVersion}`,
        });
    }
  }
  return problems;
}
