import { stat } from 'node:fs/promises';
import type { DesiredObject } from '../specs/model.js';
import type { Engine, ObservedState } from './engine/engine.js';
import type { HostPathKind, PlanInput } from './plan/plan-input.js';
import { plan } from './plan/plan.js';
import type { Plan } from './plan/plan-types.js';

export interface Observation {
  observed: ObservedState;
  hostPaths: Map<string, HostPathKind>;
}

/**
 * One snapshot of what is real: the engine's objects of the project (a constant number
 * of list calls) and the host paths the declared bind mounts name.
 */
export async function observeProject(
  engine: Engine,
  project: string,
  desired: readonly DesiredObject[],
): Promise<Observation> {
  const [observed, hostPaths] = await Promise.all([engine.observe({ project }), observeHostPaths(desired)]);
  return { observed, hostPaths };
}

export async function observeHostPaths(desired: readonly DesiredObject[]): Promise<Map<string, HostPathKind>> {
  const paths = desired.flatMap((o) => (o.kind === 'BindMount' ? [o.spec.hostPath] : []));
  const kinds = await Promise.all(paths.map(hostPathKind));
  return new Map(paths.map((p, i) => [p, kinds[i] as HostPathKind]));
}

async function hostPathKind(path: string): Promise<HostPathKind> {
  try {
    const s = await stat(path);
    return s.isDirectory() ? 'directory' : 'file';
  } catch {
    return 'absent';
  }
}

/** Observe, then plan: what `plan`, `apply` and `status` all start from. */
export async function observeAndPlan(
  engine: Engine,
  input: Omit<PlanInput, 'observed' | 'hostPaths'>,
): Promise<Observation & { plan: Plan }> {
  const observation = await observeProject(engine, input.project, input.desired);
  return { ...observation, plan: plan({ ...input, ...observation }) };
}
