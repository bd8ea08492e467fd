import { isAbsolute } from 'node:path';
import { DEFAULT_POLICY, hostPathViolation } from '../policy.js';
import type { ImportedObject } from './state.js';
import { hasVariable } from './values.js';

/**
 * The flags `berth apply` needs for an imported set that the default (baseline) policy
 * would refuse: `--policy privileged` when a container is privileged, takes host devices
 * or a host namespace; else one `--allow-host-path P` per absolute host path the baseline
 * forbids (the engine socket, /etc/localtime…). Compose asks no one; berth's policy is
 * chosen by whoever runs it (DESIGN.md "Policy"), so import says what to choose. Paths
 * holding a variable are not judged: their value is known only when applied.
 */
export function policyFlagsFor(objects: readonly ImportedObject[]): string[] {
  const privileged = objects.some((o) => o.kind === 'Container' && needsPrivileged(o.spec));
  if (privileged) return ['--policy', 'privileged'];
  const paths = new Set<string>();
  for (const o of objects) {
    const path = o.kind === 'BindMount' ? o.spec.hostPath : undefined;
    if (typeof path !== 'string' || !isAbsolute(path) || hasVariable(path)) continue;
    if (hostPathViolation(path, DEFAULT_POLICY)) paths.add(path);
  }
  return [...paths].sort().flatMap((p) => ['--allow-host-path', p]);
}

function needsPrivileged(spec: Record<string, unknown>): boolean {
  const hostNamespace = ['networkMode', 'pid', 'ipc'].some((k) => spec[k] === 'host');
  const devices = Array.isArray(spec.devices) && spec.devices.length > 0;
  return spec.privileged === true || hostNamespace || devices;
}
