import type { ContainerObject, DesiredObject, Kind, ObjectKey } from '../../specs/model.js';
import { BerthError } from '../errors.js';

/**
 * `spec.placement.context`: which engine each declared object lives on (DESIGN.md "Several
 * engines and a cluster engine"). The set is split into one group per engine; each group is
 * observed, planned and executed against its own engine, as a set of its own.
 */

/** The objects of one engine. `context` undefined: the engine berth runs against. */
export interface EngineGroup {
  context?: string;
  objects: DesiredObject[];
}

/**
 * Splits the set by engine. A Container goes to its context; another object with a
 * placement goes there; one without goes wherever Containers that use it go (a network or
 * volume must exist on the container's engine), and to berth's own engine when nothing
 * placed elsewhere uses it. `home` is the context berth runs against: placing an object on
 * it is the same as not placing it. The group of berth's own engine always comes first, even
 * when empty (so `--prune` still sees it). Throws E_MANIFEST, at the container, for a container
 * that uses an object placed on another engine or depends on a container there.
 */
export function groupByEngine(objects: readonly DesiredObject[], home?: string): EngineGroup[] {
  const contextOf = (o: DesiredObject) =>
    o.context === undefined || o.context === home ? undefined : o.context;
  const byKey = new Map(objects.map((o) => [`${o.kind}/${o.name}`, o]));
  const groups = new Map<string | undefined, Set<DesiredObject>>([[undefined, new Set()]]);
  const add = (context: string | undefined, o: DesiredObject) => {
    const group = groups.get(context) ?? new Set<DesiredObject>();
    groups.set(context, group);
    group.add(o);
  };
  const usedElsewhereOnly = new Set<DesiredObject>();
  const usedAtHome = new Set<DesiredObject>();
  for (const c of objects) {
    if (c.kind !== 'Container') continue;
    const where = contextOf(c);
    add(where, c);
    for (const ref of containerUses(c)) {
      const used = byKey.get(`${ref.kind}/${ref.name}`);
      if (!used) continue;
      // A container is where it is placed; anything else without a placement follows `c`.
      const follows = used.kind !== 'Container' && used.context === undefined;
      const placed = follows ? where : contextOf(used);
      if (placed !== where) throw misplaced(c, where, `${ref.kind}/${ref.name}`, placed);
      if (used.kind === 'Container') continue;
      add(where, used);
      (where === undefined ? usedAtHome : usedElsewhereOnly).add(used);
    }
  }
  for (const o of objects) {
    if (o.kind === 'Container') continue;
    if (o.context !== undefined) add(contextOf(o), o);
    else if (!usedElsewhereOnly.has(o) || usedAtHome.has(o)) add(undefined, o);
  }
  return [...groups].map(([context, set]) => ({
    ...(context !== undefined ? { context } : {}),
    objects: objects.filter((o) => set.has(o)),
  }));
}

/** True when the set spans more than berth's own engine (the single-engine path does not apply). */
export function spansEngines(groups: readonly EngineGroup[]): boolean {
  return groups.some((g) => g.context !== undefined);
}

/** The objects a container needs on its own engine: image, networks, mounts; and dependsOn. */
function containerUses(c: ContainerObject): { kind: Kind; name: string }[] {
  const uses: { kind: Kind; name: string }[] = [];
  if (c.spec.image.object) uses.push({ kind: 'Image', name: c.spec.image.object });
  for (const n of c.spec.networks) uses.push({ kind: 'Network', name: n.network });
  for (const m of c.spec.mounts) {
    if (m.type === 'volume') uses.push({ kind: 'Volume', name: m.volume });
    else if (m.type === 'bind') uses.push({ kind: 'BindMount', name: m.bindMount });
    else if (m.type === 'secret') uses.push({ kind: 'Secret', name: m.name });
    else if (m.type === 'config') uses.push({ kind: 'Config', name: m.name });
  }
  for (const d of c.spec.dependsOn) uses.push({ kind: 'Container', name: d.container });
  return uses;
}

function misplaced(
  c: ContainerObject,
  where: string | undefined,
  used: string,
  placed: string | undefined,
): BerthError {
  const name = (context: string | undefined) =>
    context === undefined ? "berth's own engine" : `context ${context}`;
  return new BerthError(
    'E_MANIFEST',
    `Container/${c.name} is placed on ${name(where)} but uses ${used}, placed on ${name(placed)}: what a container uses must be on its engine`,
    {
      object: `Container/${c.name}`,
      file: c.source.file,
      line: c.source.line,
      column: c.source.column,
      hint: 'place both on one context, or leave the placement of the network/volume out (it follows its containers)',
    },
  );
}

/** `Kind/name@context` for an object on another engine; the key itself on berth's own. */
export function keyOn(key: ObjectKey, context: string | undefined): ObjectKey {
  return context === undefined ? key : (`${key}@${context}` as ObjectKey);
}
