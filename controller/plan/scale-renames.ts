import { replicaName, scaledToZero } from '../../specs/expand.js';
import {
  objectKey,
  type ContainerObject,
  type DesiredObject,
  type ObjectKey,
} from '../../specs/model.js';
import { ownedContainerName, ownedReplica } from '../container-names.js';
import type { ObservedContainer } from '../engine/engine.js';
import { declaredEngineName, engineName } from '../labels.js';
import { aliasesOn } from './container-request.js';
import type { OwnedIndex } from './plan-input.js';
import { step } from './plan-object.js';
import type { ObjectPlan } from './plan-types.js';

/**
 * Replica 1 renamed in place when `replicas` changes between 1 and more (F26): the running
 * container goes from `<project>-<name>` to `<project>-<name>-1` (or back) under the same id,
 * never stopped, as Compose keeps its first container at any scale; only the surplus is
 * created or removed (plan-implicit.ts). Its labels cannot change: a container scaled up keeps
 * lacking `berth.replica` and one scaled down keeps `berth.replica=1` until it is next
 * recreated; its engine name tells which it is (container-names.ts).
 *
 * Its network aliases do: replica 1 answers to `<name>-1` beside `<name>`, a single container
 * only to `<name>`. The engine (Docker 20.10, seen here) renames a container's own DNS name
 * with it but keeps its aliases, and sets aliases only when an endpoint is connected (a
 * connect of a container already on the network is refused: "endpoint … already exists"), so
 * each network it is on is disconnected and connected again with the aliases a fresh
 * container gets, before the rename: a berth killed in between finds the old name and plans
 * both again. The container keeps running; a static address would be dropped, but no declared
 * address survives a scale past 1 (replicas cannot share one).
 */
export interface ScaleRename {
  /** The declared object the container becomes: `Container/<name>-1` or `Container/<name>`. */
  key: ObjectKey;
  /** The key it has in the owned index now. */
  from: ObjectKey;
  container: ObservedContainer;
  /** The engine name it takes. */
  to: string;
  /** `replicas 1 → 3`. */
  cause: string;
  /** The declared networks it is on, each with the aliases it takes there. */
  endpoints: { network: string; aliases: string[] }[];
}

/**
 * The renames a declared set needs: each declared replica 1 (a single container, or instance
 * `<name>-1`) that the engine lacks while it has replica 1 of the same container under the
 * other name, not itself declared. Pure; works for the old labels too (container-names.ts),
 * and a rename that a killed berth left undone is simply planned again.
 */
export function scaleRenames(
  desired: readonly DesiredObject[],
  owned: OwnedIndex,
  project: string,
): ScaleRename[] {
  const declared = new Set(desired.map((o) => `${o.kind}/${o.name}`));
  const renames: ScaleRename[] = [];
  for (const o of desired) {
    // Nothing to rename for `replicas: 0`: its replicas all go (plan-zero.ts, plan-implicit.ts).
    if (o.kind !== 'Container' || scaledToZero(o) || owned.has(objectKey(o))) continue;
    const first = o.replica ? (o.replica.index === 1 ? o.replica.of : undefined) : o.name;
    if (first === undefined) continue;
    const from: ObjectKey = `Container/${o.replica ? first : replicaName(first, 1)}`;
    const container = owned.get(from) as ObservedContainer | undefined;
    if (declared.has(from) || !container) continue;
    // Scaling up renames a single container, scaling down replica 1 of this one.
    const replica = ownedReplica(container, project);
    const isFirst = o.replica
      ? (replica?.index ?? 1) === 1
      : replica?.of === first && replica.index === 1;
    if (!isFirst) continue;
    const before = replicasObserved(owned, first, project);
    const after = desired.filter((d) => d.kind === 'Container' && d.replica?.of === first).length;
    renames.push({
      key: objectKey(o),
      from,
      container,
      to: engineName(project, o.name),
      cause: `replicas ${before} → ${Math.max(after, 1)}`,
      endpoints: endpointsOf(o, container, project, desired),
    });
  }
  return renames;
}

/** The owned index as it will be once the renames ran: each renamed container under its new key. */
export function afterRenames(owned: OwnedIndex, renames: readonly ScaleRename[]): OwnedIndex {
  if (renames.length === 0) return owned;
  const moved = new Map(owned);
  for (const r of renames) moved.delete(r.from);
  for (const r of renames) moved.set(r.key, r.container);
  return moved;
}

/**
 * The container's plan with the rename as its first steps (each network connected again with
 * its new aliases, then the rename), stored on its entry for the executor.
 */
export function withScaleRename(p: ObjectPlan, rename: ScaleRename | undefined): ObjectPlan {
  if (!rename || !p.container) return p;
  const reconnects = rename.endpoints.flatMap(({ network, aliases }) => {
    const cause = `${rename.cause}: aliases ${aliases.join(', ')}`;
    return [
      step(p.key, 'disconnect', '~', cause, network),
      step(p.key, 'connect', '~', cause, network),
    ];
  });
  const renameStep = step(
    p.key,
    'rename',
    '~',
    rename.cause,
    `${rename.container.name} → ${rename.to}`,
  );
  const networks = rename.endpoints.map((e) => e.network);
  return {
    ...p,
    steps: [...reconnects, renameStep, ...p.steps],
    inSync: false,
    reason: rename.cause,
    container: { ...p.container, rename: { id: rename.container.id, to: rename.to, networks } },
  };
}

/** The declared networks `container` is attached to, with the aliases `declared` has on each. */
function endpointsOf(
  declared: ContainerObject,
  container: ObservedContainer,
  project: string,
  desired: readonly DesiredObject[],
): ScaleRename['endpoints'] {
  return declared.spec.networks
    .filter((n) =>
      container.networks.includes(declaredEngineName(project, desired, 'Network', n.network)),
    )
    .map((n) => ({ network: n.network, aliases: aliasesOn(declared, n.network) }));
}

/** How many replicas of `name` the engine runs now (replica 1 under either name, and 2..N). */
function replicasObserved(owned: OwnedIndex, name: string, project: string): number {
  let count = 0;
  for (const [key, value] of owned) {
    if (!key.startsWith('Container/')) continue;
    const c = value as ObservedContainer;
    if (ownedContainerName(c, project) === name || ownedReplica(c, project)?.of === name) count++;
  }
  return count;
}
