import type { ContainerObject } from '../../../specs/model.js';
import { updatePolicy } from '../../update/update-policy.js';

/**
 * `spec.update` as Swarm's UpdateConfig and RollbackConfig (DESIGN.md "Updates and
 * rollback", carried over): one task at a time, berth's order (start-first unless a host
 * port or a writable volume forces stop-first), and the gate as `Monitor`: a task must stay
 * up this long after it starts (a task with a healthcheck only counts as started once
 * healthy, so its gate is the engine's own; one more probe interval is watched). A failed
 * gate rolls back (`onFailure: rollback`) or pauses the update. Pure.
 */
export function updatePolicyOf(object: ContainerObject): {
  UpdateConfig: Record<string, unknown>;
  RollbackConfig: Record<string, unknown>;
} {
  const policy = updatePolicy(object.spec);
  const monitorMs =
    policy.gate.kind === 'minReady' ? policy.gate.ms : (object.spec.healthcheck?.intervalMs ?? 0);
  const common = {
    Parallelism: 1,
    Delay: 0,
    Monitor: monitorMs * 1_000_000,
    MaxFailureRatio: 0,
    Order: policy.order,
  };
  return {
    UpdateConfig: { ...common, FailureAction: policy.onFailure },
    RollbackConfig: { ...common, FailureAction: 'pause' },
  };
}
