import type { ObjectKey } from '../../specs/model.js';
import type { ObservedContainer, ObservedNetwork } from '../engine/engine.js';
import { LABEL } from '../labels.js';
import { step } from './plan-resources.js';
import type { ObjectPlan, PlanStep } from './plan-types.js';

/**
 * Networks of one berth name the engine holds more than once (issue 19 item 7: Docker allows
 * duplicate names, and concurrent creates make them). The one berth keeps is the one with
 * containers attached, else the oldest (then the smaller id, as the Docker adapter elects
 * after a create); the others are extras.
 */
export function keptNetwork(
  a: ObservedNetwork,
  b: ObservedNetwork,
  containers: readonly ObservedContainer[],
): ObservedNetwork {
  const [ua, ub] = [inUse(a, containers), inUse(b, containers)];
  if (ua !== ub) return ua ? a : b;
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? a : b;
  return a.id <= b.id ? a : b;
}

/** The project's owned networks of one berth name, the kept one first. */
export function networksNamed(
  networks: readonly ObservedNetwork[],
  containers: readonly ObservedContainer[],
  project: string,
  name: string,
): ObservedNetwork[] {
  const all = networks.filter(
    (n) =>
      n.labels[LABEL.project] === project &&
      n.labels[LABEL.name] === name &&
      (n.labels[LABEL.kind] ?? 'Network') === 'Network',
  );
  const kept = all.reduce<ObservedNetwork | undefined>(
    (k, n) => (k ? keptNetwork(k, n, containers) : n),
    undefined,
  );
  return kept ? [kept, ...all.filter((n) => n !== kept)] : [];
}

/**
 * A declared network's plan with its extras dealt with first: an extra with nothing
 * attached is removed by id (`remove <id>`); one with containers attached is never removed
 * and keeps the network out of sync, saying so.
 */
export function withDuplicatesRemoved(
  p: ObjectPlan,
  extras: readonly ObservedNetwork[],
  containers: readonly ObservedContainer[],
): ObjectPlan {
  if (extras.length === 0) return p;
  const engineName = extras[0]?.name ?? p.name;
  const removable = extras.filter((n) => !inUse(n, containers));
  const busy = extras.filter((n) => inUse(n, containers));
  const steps: PlanStep[] = removable.map((n) =>
    step(
      p.key,
      'remove',
      '-',
      `duplicate network ${engineName} (${short(n.id)}), nothing attached`,
      n.id,
    ),
  );
  const reason = busy.length
    ? `${extras.length + 1} networks named ${engineName}; the extra ${busy.map((n) => short(n.id)).join(', ')} has containers attached: disconnect them, then apply again`
    : undefined;
  const all = [...steps, ...p.steps];
  return { ...p, steps: all, inSync: false, reason: reason ?? all[0]?.cause ?? p.reason };
}

/** Remove steps for every extra of a network that goes (delete, prune): none is left behind. */
export function extraRemovals(
  key: ObjectKey,
  extras: readonly ObservedNetwork[],
  cause: string,
): PlanStep[] {
  return extras.map((n) => step(key, 'remove', '-', `${cause} (duplicate ${short(n.id)})`, n.id));
}

function inUse(n: ObservedNetwork, containers: readonly ObservedContainer[]): boolean {
  return containers.some((c) =>
    c.networkIds ? Object.values(c.networkIds).includes(n.id) : c.networks.includes(n.name),
  );
}

function short(id: string): string {
  return id.slice(0, 12);
}
