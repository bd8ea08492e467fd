import type { ContainerSpec } from '../../specs/model.js';
import type { ContainerRuntimeOptions } from '../engine/engine.js';
import { engineName } from '../labels.js';

/**
 * The issue-12 fields of a normalised container spec as engine options: `container:NAME`
 * becomes `container:<project>-<NAME>`, ulimits a list, resources flattened. Absent
 * fields stay absent (the engine's default).
 */
export function runtimeOptions(spec: ContainerSpec, project: string): ContainerRuntimeOptions {
  const joined = (mode: string | undefined): string | undefined =>
    mode?.startsWith('container:')
      ? `container:${engineName(project, mode.slice('container:'.length))}`
      : mode;
  const r = spec.resources;
  return {
    hostname: spec.hostname,
    domainname: spec.domainname,
    dns: spec.dns,
    dnsSearch: spec.dnsSearch,
    dnsOptions: spec.dnsOptions,
    extraHosts: spec.extraHosts,
    networkMode: joined(spec.networkMode),
    expose: spec.expose,
    capAdd: spec.capAdd,
    capDrop: spec.capDrop,
    securityOpt: spec.securityOpt,
    readOnlyRootfs: spec.readOnlyRootFilesystem,
    tty: spec.tty,
    openStdin: spec.stdin,
    stopSignal: spec.stopSignal,
    sysctls: spec.sysctls,
    ulimits:
      spec.ulimits && Object.entries(spec.ulimits).map(([name, limit]) => ({ name, ...limit })),
    shmSizeBytes: spec.shmSizeBytes,
    devices: spec.devices,
    gpus: spec.gpus,
    groupAdd: spec.groupAdd,
    ipc: joined(spec.ipc),
    pid: joined(spec.pid),
    logging: spec.logging,
    platform: spec.platform,
    runtime: spec.runtime,
    memoryReservationBytes: r.memoryReservationBytes,
    memorySwapBytes: r.memorySwapBytes,
    cpuShares: r.cpuShares,
    cpuset: r.cpuset,
    oomScoreAdj: r.oomScoreAdj,
  };
}
