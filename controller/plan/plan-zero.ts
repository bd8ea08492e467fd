import { objectKey, type ContainerObject } from '../../specs/model.js';
import type { ObservedContainer } from '../engine/engine.js';
import { engineName } from '../labels.js';
import type { OwnedIndex } from './plan-input.js';
import { objectPlan, step } from './plan-object.js';
import type { ObjectPlan } from './plan-types.js';

/**
 * The DESIRED of a container declared with `replicas: 0` (specs/expand.ts `scaledToZero`):
 * declared, none running. `get` and `status` show it in sync with 0/0 ready.
 */
export const SCALED_TO_ZERO = '0 replicas';

const CAUSE = 'replicas: 0';

/**
 * A container declared with `replicas: 0`: no engine object. A single container (or replica 1
 * renamed back) still under its name is stopped and removed here; replicas `<name>-<i>` go as
 * implicit orphans (plan-implicit.ts), as in any scale-down. Waits for nothing: nothing is
 * created, and its dependants do not wait for it (Compose's rule, specs/expand.ts).
 */
export function planScaledToZero(
  container: ContainerObject,
  owned: OwnedIndex,
  project: string,
): ObjectPlan {
  const key = objectKey(container);
  const observed = owned.get(key) as ObservedContainer | undefined;
  const base = {
    key,
    kind: container.kind,
    name: container.name,
    engineName: engineName(project, container.name),
    engineId: observed?.id,
  };
  if (!observed) return objectPlan(base, 'absent', SCALED_TO_ZERO, []);
  const live = ['running', 'paused', 'restarting'].includes(observed.state);
  const steps = [...(live ? [step(key, 'stop', '-', CAUSE)] : []), step(key, 'remove', '-', CAUSE)];
  return objectPlan(base, observed.state, SCALED_TO_ZERO, steps);
}
