import type { DesiredObject } from './model.js';

const compareKeys = (a: DesiredObject, b: DesiredObject): number => {
  const ka = `${a.kind}/${a.name}`;
  const kb = `${b.kind}/${b.name}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
};

/**
 * Creation order in levels: images, networks, bind mounts and volumes first (one level),
 * then containers, each after the containers it depends on. Objects in one level are
 * independent and may be worked on in parallel; delete in reverse. Pure. Dependencies on
 * undeclared containers are ignored, and containers caught in a cycle (a validation error)
 * come last together rather than being dropped.
 */
export function dependencyOrder(objects: DesiredObject[]): DesiredObject[][] {
  const resources = objects.filter((o) => o.kind !== 'Container').sort(compareKeys);
  const containers = objects.filter((o) => o.kind === 'Container').sort(compareKeys);
  const levels: DesiredObject[][] = resources.length > 0 ? [resources] : [];
  const names = new Set(containers.map((c) => c.name));
  const placed = new Set<string>();
  let remaining = containers;
  while (remaining.length > 0) {
    const ready = remaining.filter(
      (c) =>
        c.kind === 'Container' &&
        c.spec.dependsOn.every((d) => !names.has(d.container) || placed.has(d.container)),
    );
    const level = ready.length > 0 ? ready : remaining;
    levels.push(level);
    for (const c of level) placed.add(c.name);
    remaining = remaining.filter((c) => !placed.has(c.name));
  }
  return levels;
}
