import type {
  ContainerObject,
  DesiredObject,
  NetworkAttachment,
  RestartPolicy,
} from '../../specs/model.js';
import type { ContainerCreateRequest, MountRequest } from '../engine/engine.js';
import { labelledName, replicaLabels } from '../container-names.js';
import { declaredEngineName, engineName, LABEL, ownershipLabels, sourceLabel } from '../labels.js';
import { defaultFilesDir, fileMountPath } from './file-mount-paths.js';
import { containerFieldHashes, encodeFieldHashes } from './spec-fields.js';
import { runtimeOptions } from './container-runtime-request.js';

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
  filesDir = defaultFilesDir(),
): ContainerCreateRequest {
  const spec = container.spec;
  const hostPathOf = (bindMount: string) => {
    const b = desired.find((o) => o.kind === 'BindMount' && o.name === bindMount);
    return b?.kind === 'BindMount' ? b.spec.hostPath : bindMount;
  };
  const mounts: MountRequest[] = spec.mounts.map((m) => {
    if (m.type === 'bind') {
      const { type, target, readOnly, propagation, selinux } = m;
      return { type, source: hostPathOf(m.bindMount), target, readOnly, propagation, selinux };
    }
    if (m.type === 'secret' || m.type === 'config') {
      const source = fileMountPath(filesDir, project, container, m, desired);
      return { type: 'bind', source, target: m.target, readOnly: true };
    }
    if (m.type === 'volume') {
      const { type, target, readOnly, subpath, noCopy, selinux } = m;
      const source = declaredEngineName(project, desired, 'Volume', m.volume);
      return { type, source, target, readOnly, subpath, noCopy, selinux };
    }
    return { ...m };
  });
  return {
    name: engineName(project, container.name),
    image: spec.image.ref,
    labels: {
      ...container.labels,
      ...ownershipLabels(project, 'Container', labelledName(container), container.specHash),
      ...sourceLabel(container),
      [LABEL.specFields]: encodeFieldHashes(containerFieldHashes(container, desired)),
      ...replicaLabels(container),
    },
    entrypoint: spec.command,
    cmd: spec.args,
    env: spec.env,
    ports: spec.ports.map((p) => ({ ...p })),
    mounts,
    networks: byPriority(spec.networks).map((n) => ({
      name: declaredEngineName(project, desired, 'Network', n.network),
      aliases: aliasesOn(container, n.network),
      ipv4Address: n.ipv4Address,
      ipv6Address: n.ipv6Address,
      macAddress: n.macAddress,
    })),
    restartPolicy: ENGINE_RESTART[spec.restartPolicy],
    ...(spec.restartMaxRetries !== undefined && { restartMaxRetries: spec.restartMaxRetries }),
    healthcheck: spec.healthcheck && {
      test: spec.healthcheck.command,
      intervalMs: spec.healthcheck.intervalMs,
      timeoutMs: spec.healthcheck.timeoutMs,
      retries: spec.healthcheck.retries,
      startPeriodMs: spec.healthcheck.startPeriodMs,
      ...(spec.healthcheck.startIntervalMs !== undefined && {
        startIntervalMs: spec.healthcheck.startIntervalMs,
      }),
    },
    memoryBytes: spec.resources.memoryBytes,
    nanoCpus: spec.resources.nanoCpus,
    pidsLimit: spec.resources.pids,
    user: spec.user,
    workingDir: spec.workingDir,
    stopTimeoutSec: Math.ceil(spec.stopGracePeriodMs / 1000),
    init: spec.init,
    privileged: spec.privileged,
    ...runtimeOptions(spec, project),
  };
}

/** Higher `priority` first, written order among equals: the first is attached at create. */
function byPriority(networks: NetworkAttachment[]): NetworkAttachment[] {
  return networks
    .map((n, i) => ({ n, i }))
    .sort((a, b) => (b.n.priority ?? 0) - (a.n.priority ?? 0) || a.i - b.i)
    .map(({ n }) => n);
}

/**
 * Aliases of a declared container on one of its networks: its own name, the declared name of
 * the container it is a replica of (peers reach every replica by it, as Compose services by
 * service name), then its declared aliases. Set at create and on reconnects; never hashed, so
 * a replica's spec hash is that of the container at any scale and scaling recreates nothing.
 */
export function aliasesOn(container: ContainerObject, network: string): string[] {
  const attachment = container.spec.networks.find((n) => n.network === network);
  const of = container.replica ? [container.replica.of] : [];
  return [...new Set([container.name, ...of, ...(attachment?.aliases ?? [])])];
}
