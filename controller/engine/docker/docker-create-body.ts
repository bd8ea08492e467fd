import type {
  ContainerCreateRequest,
  EndpointRequest,
  MountRequest,
  PortRequest,
} from '../engine.js';

/**
 * The body of `POST /containers/create` (API 1.41; the name and platform go in the query
 * string). Pure, so every field is unit-tested without a daemon; each maps as
 * docker/compose `pkg/compose/create.go` maps the Compose field of the same meaning.
 */

const MS_TO_NS = 1_000_000;

export function toCreateBody(req: ContainerCreateRequest): Record<string, unknown> {
  const [first] = req.networks;
  const { exposed, bindings } = portMaps(req);
  return omitUndefined({
    Image: req.image,
    Labels: req.labels,
    Entrypoint: req.entrypoint,
    Cmd: req.cmd,
    Env: Object.entries(req.env).map(([k, v]) => `${k}=${v}`),
    ExposedPorts: exposed,
    User: req.user,
    WorkingDir: req.workingDir,
    StopTimeout: req.stopTimeoutSec,
    StopSignal: req.stopSignal,
    Hostname: req.hostname,
    Domainname: req.domainname,
    Tty: req.tty,
    OpenStdin: req.openStdin,
    StdinOnce: req.stdinOnce,
    // What `docker run -i` sets: the engine then keeps stdin for the attachment.
    AttachStdin: req.stdinOnce,
    // Before API 1.44 the MAC address is the container's, for its first network.
    MacAddress: first?.macAddress,
    Healthcheck: req.healthcheck && {
      Test: req.healthcheck.test,
      Interval: req.healthcheck.intervalMs * MS_TO_NS,
      Timeout: req.healthcheck.timeoutMs * MS_TO_NS,
      Retries: req.healthcheck.retries,
      StartPeriod: req.healthcheck.startPeriodMs * MS_TO_NS,
      // API 1.44; specs/engine-api.ts refuses it before any change on an older engine.
      StartInterval:
        req.healthcheck.startIntervalMs === undefined
          ? undefined
          : req.healthcheck.startIntervalMs * MS_TO_NS,
    },
    HostConfig: hostConfig(req, bindings),
    NetworkingConfig: first && { EndpointsConfig: { [first.name]: toEndpointConfig(first) } },
  });
}

function portMaps(req: ContainerCreateRequest): {
  exposed: Record<string, object>;
  bindings: Record<string, { HostIp: string; HostPort: string }[]>;
} {
  const exposed: Record<string, object> = {};
  const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const key of req.expose ?? []) exposed[key] = {};
  for (const p of req.ports) {
    const key = `${p.containerPort}/${p.protocol}`;
    exposed[key] = {};
    (bindings[key] ??= []).push({ HostIp: p.hostIP, HostPort: hostPortText(p) });
  }
  return { exposed, bindings };
}

/**
 * `HostPort` as the engine takes it: '' (the engine picks), a port, or a range `8000-8010` of
 * which the engine takes one free port (what the docker CLI sends for `-p 8000-8010:80`).
 */
function hostPortText(p: PortRequest): string {
  if (!p.hostPort) return '';
  return p.hostPortEnd ? `${p.hostPort}-${p.hostPortEnd}` : String(p.hostPort);
}

function hostConfig(
  req: ContainerCreateRequest,
  bindings: Record<string, { HostIp: string; HostPort: string }[]>,
): Record<string, unknown> {
  return omitUndefined({
    PortBindings: bindings,
    Mounts: req.mounts.filter((m) => !outsideMountsApi(m)).map(toMount),
    Binds: bindsOf(req.mounts),
    Tmpfs: tmpfsOf(req.mounts),
    RestartPolicy: { Name: req.restartPolicy, MaximumRetryCount: req.restartMaxRetries ?? 0 },
    AutoRemove: req.autoRemove,
    Memory: req.memoryBytes,
    MemoryReservation: req.memoryReservationBytes,
    MemorySwap: req.memorySwapBytes,
    NanoCpus: req.nanoCpus,
    CpuShares: req.cpuShares,
    CpusetCpus: req.cpuset,
    OomScoreAdj: req.oomScoreAdj,
    PidsLimit: req.pidsLimit,
    Init: req.init,
    Privileged: req.privileged,
    ReadonlyRootfs: req.readOnlyRootfs,
    CapAdd: req.capAdd,
    CapDrop: req.capDrop,
    SecurityOpt: req.securityOpt,
    Dns: req.dns,
    DnsSearch: req.dnsSearch,
    DnsOptions: req.dnsOptions,
    ExtraHosts: req.extraHosts,
    Sysctls: req.sysctls,
    Ulimits: req.ulimits?.map((u) => ({ Name: u.name, Soft: u.soft, Hard: u.hard })),
    ShmSize: req.shmSizeBytes,
    Devices: req.devices?.map((d) => ({
      PathOnHost: d.hostPath,
      PathInContainer: d.containerPath,
      CgroupPermissions: d.permissions,
    })),
    DeviceRequests: req.gpus && [gpuRequest(req.gpus)],
    GroupAdd: req.groupAdd,
    IpcMode: req.ipc,
    PidMode: req.pid,
    Runtime: req.runtime,
    LogConfig: req.logging && { Type: req.logging.driver, Config: req.logging.options },
    // Without NetworkMode the engine would also attach the default bridge.
    NetworkMode: req.networkMode ?? req.networks[0]?.name,
  });
}

/** `gpus: all` is count -1, as `docker run --gpus all` sends it; the long form adds driver, capabilities, options. */
function gpuRequest(gpus: NonNullable<ContainerCreateRequest['gpus']>): Record<string, unknown> {
  const base = {
    Driver: gpus.driver ?? '',
    // One AND-set of capabilities: the device must have them all (as Compose sends them).
    Capabilities: [gpus.capabilities ?? ['gpu']],
    Options: gpus.options ?? {},
  };
  return 'count' in gpus
    ? { ...base, Count: gpus.count }
    : { ...base, Count: 0, DeviceIDs: gpus.deviceIds };
}

/** An endpoint's settings: aliases, static addresses (IPAMConfig) and MAC (API 1.44+). */
export function toEndpointConfig(endpoint: EndpointRequest): Record<string, unknown> {
  const ipam = omitUndefined({
    IPv4Address: endpoint.ipv4Address,
    IPv6Address: endpoint.ipv6Address,
  });
  return omitUndefined({
    Aliases: endpoint.aliases,
    IPAMConfig: Object.keys(ipam).length > 0 ? ipam : undefined,
    MacAddress: endpoint.macAddress,
  });
}

/**
 * Mount options the Mounts API of API 1.41 has no field for: an SELinux relabel of a bind or
 * a volume, the owner or mount flags of a tmpfs (`TmpfsOptions.Options` came in API 1.46).
 * Such mounts go in the older `Binds` / `Tmpfs` forms, as the docker CLI's `-v` and
 * `--tmpfs` send them.
 */
function outsideMountsApi(m: MountRequest): boolean {
  if (m.type === 'bind' || m.type === 'volume') return m.selinux !== undefined;
  return (
    m.type === 'tmpfs' &&
    (m.uid !== undefined || m.gid !== undefined || (m.options?.length ?? 0) > 0)
  );
}

/**
 * Tmpfs mounts with an owner or flags as `HostConfig.Tmpfs`
 * (`{"/run": "noexec,nosuid,size=65536,mode=1770,uid=1000"}`, mount(8) options; the size in
 * bytes, the mode in octal). Undefined when there are none.
 */
function tmpfsOf(mounts: MountRequest[]): Record<string, string> | undefined {
  const entries = mounts.flatMap((m) => {
    if (m.type !== 'tmpfs' || !outsideMountsApi(m)) return [];
    const options = [
      ...(m.options ?? []),
      m.sizeBytes !== undefined && `size=${m.sizeBytes}`,
      m.mode !== undefined && `mode=${m.mode.toString(8)}`,
      m.uid !== undefined && `uid=${m.uid}`,
      m.gid !== undefined && `gid=${m.gid}`,
    ].filter(Boolean);
    return [[m.target, options.join(',')]];
  });
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

/**
 * Bind and volume mounts with an SELinux relabel (`z`/`Z`) as `HostConfig.Binds` entries
 * (`/src:/dst:ro,z,rslave`, `volume:/dst:rw,z,nocopy`): the Mounts API has no relabel
 * option, so docker/compose (`pkg/compose/create.go` `buildContainerVolumes`, toBindString)
 * sends these as binds too. The engine ignores the label where SELinux is off. Undefined
 * when there are none, so other bodies stay as they were.
 */
function bindsOf(mounts: MountRequest[]): string[] | undefined {
  const binds = mounts.flatMap((m) => {
    if ((m.type !== 'bind' && m.type !== 'volume') || m.selinux === undefined) return [];
    const extra = m.type === 'bind' ? m.propagation : m.noCopy && 'nocopy';
    const options = [m.readOnly ? 'ro' : 'rw', m.selinux, extra].filter(Boolean).join(',');
    return [`${m.source}:${m.target}:${options}`];
  });
  return binds.length > 0 ? binds : undefined;
}

function toMount(m: MountRequest): Record<string, unknown> {
  if (m.type === 'tmpfs') {
    const options = omitUndefined({ SizeBytes: m.sizeBytes, Mode: m.mode });
    return omitUndefined({
      Type: 'tmpfs',
      Target: m.target,
      TmpfsOptions: Object.keys(options).length > 0 ? options : undefined,
    });
  }
  const base = { Type: m.type, Source: m.source, Target: m.target, ReadOnly: m.readOnly };
  if (m.type === 'bind') {
    return omitUndefined({
      ...base,
      BindOptions: m.propagation ? { Propagation: m.propagation } : undefined,
    });
  }
  const volume = omitUndefined({ NoCopy: m.noCopy, Subpath: m.subpath });
  return omitUndefined({
    ...base,
    VolumeOptions: Object.keys(volume).length > 0 ? volume : undefined,
  });
}

function omitUndefined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}
