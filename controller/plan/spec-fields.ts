import { createHash } from 'node:crypto';
import type { ContainerObject, DesiredObject } from '../../specs/model.js';

/**
 * Short hashes of each container spec field that forces a recreate, stored as a label so
 * that a later plan can say *what* changed ("spec changed: env, ports") without keeping
 * the old spec anywhere. The authoritative test stays `berth.spec-hash`.
 */
export function containerFieldHashes(
  container: ContainerObject,
  desired: readonly DesiredObject[],
): Record<string, string> {
  const {
    state: _state,
    dependsOn: _dependsOn,
    replicas: _replicas,
    healthcheck,
    ...rest
  } = container.spec;
  const fields: Record<string, unknown> = {
    ...rest,
    // A bind mount is its host path: moving it must show as a change of mounts.
    mounts: rest.mounts.map((m) =>
      m.type === 'bind' ? { ...m, hostPath: hostPathOf(desired, m.bindMount) } : m,
    ),
    healthcheck: healthcheck && { ...healthcheck, restartOnUnhealthy: undefined },
    labels: container.labels,
  };
  const out: Record<string, string> = {};
  for (const key of Object.keys(fields).sort()) {
    out[key] = shortHash(canonical(fields[key]));
  }
  return out;
}

function hostPathOf(desired: readonly DesiredObject[], bindMount: string): string | undefined {
  const b = desired.find((o) => o.kind === 'BindMount' && o.name === bindMount);
  return b?.kind === 'BindMount' ? b.spec.hostPath : undefined;
}

export function encodeFieldHashes(hashes: Record<string, string>): string {
  return Object.entries(hashes)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

/** Field names whose hash differs; empty when the label is missing or unreadable. */
export function changedFields(
  label: string | undefined,
  desired: Record<string, string>,
): string[] {
  if (!label) return [];
  const observed = new Map(label.split(',').map((pair) => pair.split('=') as [string, string]));
  const names = new Set([...observed.keys(), ...Object.keys(desired)]);
  return [...names].filter((n) => observed.get(n) !== desired[n]).sort();
}

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 8);
}

function canonical(value: unknown): string {
  return (
    JSON.stringify(value, (_k, v: unknown) =>
      v && typeof v === 'object' && !Array.isArray(v)
        ? Object.fromEntries(
            Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
          )
        : v,
    ) ?? 'null'
  );
}
