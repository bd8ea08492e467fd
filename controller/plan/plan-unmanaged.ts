import type {
  ConfigObject,
  ExternalRef,
  NetworkObject,
  SecretObject,
  VolumeObject,
} from '../../specs/model.js';
import { objectKey } from '../../specs/model.js';
import { BerthError } from '../errors.js';
import type { PlanInput } from './plan-input.js';
import { objectPlan } from './plan-resources.js';
import type { ObjectPlan } from './plan-types.js';

/**
 * Objects berth plans no engine step for. A Secret or Config lives in berth's state
 * directory, written when a container that mounts it is created (controller/executor/
 * file-mounts.ts): it is always in sync here. An external network or volume is used by
 * name and never created, changed or deleted: in sync when the engine has it, otherwise
 * out of sync with a reason, which `apply` refuses before any change.
 */
export function planFileValue(object: SecretObject | ConfigObject): ObjectPlan {
  const base = { key: objectKey(object), kind: object.kind, name: object.name };
  return objectPlan(base, 'present', 'present', []);
}

export function planExternal(
  object: NetworkObject | VolumeObject,
  external: ExternalRef,
  input: PlanInput,
): ObjectPlan {
  const engineName = external.name;
  const base = { key: objectKey(object), kind: object.kind, name: object.name, engineName };
  if (input.externals?.has(objectKey(object))) return objectPlan(base, 'present', 'present', []);
  return objectPlan(base, 'absent', 'present', [], missingExternalReason(object.kind, engineName));
}

const EXTERNAL_PREFIX = 'external ';

/** The one sentence for an external object the engine lacks (plan, status and apply's refusal). */
export function missingExternalReason(kind: 'Network' | 'Volume', engineName: string): string {
  return `${EXTERNAL_PREFIX}${kind.toLowerCase()} ${engineName} does not exist; berth never creates it (create it, or drop external: true)`;
}

/**
 * Throws E_EXTERNAL (exit 1) naming every declared external network or volume the engine
 * lacks: `apply` changes nothing then (DESIGN.md, "External networks and volumes").
 */
export function refuseMissingExternals(plan: { objects: ObjectPlan[] }): void {
  const missing = plan.objects.filter((p) => p.reason?.startsWith(EXTERNAL_PREFIX) && !p.inSync);
  if (missing.length === 0) return;
  throw new BerthError(
    'E_EXTERNAL',
    `${missing.map((p) => `${p.key}: ${p.reason ?? ''}`).join('; ')}; nothing was changed`,
    { object: missing[0]?.key },
  );
}
