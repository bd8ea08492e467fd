import { objectKey, type DesiredObject } from '../../specs/model.js';
import { resourceEngineName } from '../labels.js';
import type { PlanConflict } from './plan-types.js';

/**
 * Declared networks (or volumes) that would live under one engine name: a `spec.name` that
 * spells another object's default name (`Network a {spec: {name: p-b}}` beside `Network b` in
 * project p, F173). Validate cannot see it (it does not know the project); without this the
 * plan creates both, and Docker, which allows two networks of one name, makes a duplicate.
 * Every owned object of such a group is a conflict naming the others; two external ones
 * naming one engine object are fine (both only use it). Pure.
 */
export function engineNameClashes(
  project: string,
  desired: readonly DesiredObject[],
): PlanConflict[] {
  const groups = new Map<string, Extract<DesiredObject, { kind: 'Network' | 'Volume' }>[]>();
  for (const o of desired) {
    if (o.kind !== 'Network' && o.kind !== 'Volume') continue;
    // One engine per context; the same object placed on several contexts is not a clash.
    const key = `${o.context ?? ''}|${o.kind}/${resourceEngineName(project, o)}`;
    const group = groups.get(key) ?? [];
    if (!group.some((x) => x.name === o.name)) groups.set(key, [...group, o]);
  }
  const conflicts: PlanConflict[] = [];
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    for (const o of group) {
      if (o.spec.external) continue;
      const others = group.filter((x) => x !== o).map((x) => objectKey(x));
      const engineName = resourceEngineName(project, o);
      conflicts.push({
        key: objectKey(o),
        engineName,
        message: `the engine name ${engineName} is also the name of ${others.join(', ')}; give one of them another spec.name`,
      });
    }
  }
  return conflicts;
}
