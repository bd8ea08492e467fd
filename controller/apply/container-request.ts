import type { ContainerObject, DesiredObject, RestartPolicy } from '../../specs/model.js';
import type { ContainerCreateRequest, MountRequest } from '../engine/engine.js';
import { engineName, LABEL, ownershipLabels, sourceLabel } from '../labels.js';
import { containerFieldHashes, encodeFieldHashes } from '../plan/spec-fields.js';

const ENGINE_RESTART: Record<RestartPolicy, ContainerCreateRequest['restartPolicy']> = {
  Always: 'unless-stopped',
  OnFailure: 'on-failure',
  Never: 'no',
};

/**
 * The engine-neutral create request for a declared container: engine names for its
 * networks and volumes, host paths for its bind mounts, berth's labels, and its declared
 * name as a network alias so peers reach it by `metadata.name` (DESIGN.md, Network).
 */
export function containerCreateRequest(
  container: ContainerObject,
  project: string,
  desired: readonly DesiredObject[],
): ContainerCreateRequest {
  const spec = container.spec;
  const hostPathOf = (bindMount: string) => {
    const b = desired.find((o) => o.kind === 'BindMount' && o.name === bindMount);
    return b?.kind === 'BindMount' ? b.spec.hostPath : bindMount;
  };
  const mounts: MountRequest[] = spec.mounts.map((m) => {
    if (m.type === 'bind')
      return {
        type: 'bind',
        source: hostPathOf(m.bindMount),
        target: m.target,
        readOnly: m.readOnly,
      };
    if (m.type === 'volume')
      return {
        type: 'volume',
        source: engineName(project, m.volume),
        target: m.target,
        readOnly: m.readOnly,
      };
    return m.sizeBytes === undefined
      ? { type: 'tmpfs', target: m.target }
      : { type: 'tmpfs', target: m.target, sizeBytes: m.sizeBytes };
  });
  return {
    name: engineName(project, container.name),
    image: spec.image.ref,
    labels: {
      ...container.labels,
      ...ownershipLabels(project, 'Container', container.name, container.specHash),
      ...sourceLabel(container.source.file),
      [LABEL.specFields]: encodeFieldHashes(containerFieldHashes(container, desired)),
      ...(container.replica ? { [LABEL.replica]: String(container.replica.index) } : {}),
    },
    entrypoint: spec.command,
    cmd: spec.args,
    env: spec.env,
    ports: spec.ports.map((p) => ({ ...p })),
    mounts,
    networks: spec.networks.map((n) => ({
      name: engineName(project, n.network),
      aliases: [...new Set([container.name, ...n.aliases])],
    })),
    restartPolicy: ENGINE_RESTART[spec.restartPolicy],
    healthcheck: spec.healthcheck && {
      test: spec.healthcheck.command,
      intervalMs: spec.healthcheck.intervalMs,
      timeoutMs: spec.healthcheck.timeoutMs,
      retries: spec.healthcheck.retries,
      startPeriodMs: spec.healthcheck.startPeriodMs,
    },
    memoryBytes: spec.resources.memoryBytes,
    nanoCpus: spec.resources.nanoCpus,
    pidsLimit: spec.resources.pids,
    user: spec.user,
    workingDir: spec.workingDir,
    stopTimeoutSec: Math.ceil(spec.stopGracePeriodMs / 1000),
    init: spec.init,
    privileged: spec.privileged,
  };
}

/** Aliases of a declared container on one of its networks (for reconnects). */
export function aliasesOn(container: ContainerObject, network: string): string[] {
  const attachment = container.spec.networks.find((n) => n.network === network);
  return [...new Set([container.name, ...(attachment?.aliases ?? [])])];
}
