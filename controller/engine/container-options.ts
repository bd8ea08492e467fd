/**
 * The engine-neutral container options of issue 12 (Compose parity), part of
 * {@link ContainerCreateRequest}. Every member is optional: absent means the engine's
 * default. Units are spelled out; names of other objects are already engine names.
 */
export interface ContainerRuntimeOptions {
  hostname?: string;
  domainname?: string;
  dns?: string[];
  dnsSearch?: string[];
  dnsOptions?: string[];
  /** `host:ip`. */
  extraHosts?: string[];
  /** `host`, `none`, `bridge` or `container:<engine name>`; replaces `networks`. */
  networkMode?: string;
  /** `9000/tcp` keys exposed without publishing. */
  expose?: string[];
  capAdd?: string[];
  capDrop?: string[];
  securityOpt?: string[];
  readOnlyRootfs?: boolean;
  tty?: boolean;
  openStdin?: boolean;
  /** Close the process's stdin when the attached client closes its input (`run -i`). */
  stdinOnce?: boolean;
  /**
   * The engine removes the container as soon as it exits (`run --rm`, `HostConfig.AutoRemove`),
   * so the removal holds even if berth is killed. Read its exit code with an attach made
   * before the start (`AttachRequest.autoRemoved` in engine-streams.ts).
   */
  autoRemove?: boolean;
  stopSignal?: string;
  sysctls?: Record<string, string>;
  ulimits?: { name: string; soft: number; hard: number }[];
  shmSizeBytes?: number;
  devices?: { hostPath: string; containerPath: string; permissions: string }[];
  /** count -1 = all GPUs; driver unset: the engine picks; capabilities unset: `gpu`. */
  gpus?: ({ count: number } | { deviceIds: string[] }) & {
    driver?: string;
    capabilities?: string[];
    options?: Record<string, string>;
  };
  groupAdd?: string[];
  /** `private`, `shareable`, `host`, `none` or `container:<engine name>`. */
  ipc?: string;
  /** `host` or `container:<engine name>`. */
  pid?: string;
  logging?: { driver: string; options: Record<string, string> };
  /** `os/arch[/variant]`: the image variant to run. */
  platform?: string;
  /** HostConfig.Runtime: the engine's OCI runtime by name; unset: its default. */
  runtime?: string;
  memoryReservationBytes?: number;
  /** -1: unlimited swap. */
  memorySwapBytes?: number;
  cpuShares?: number;
  cpuset?: string;
  oomScoreAdj?: number;
}

/** One network a container is attached to: engine name, aliases, static addresses. */
export interface EndpointRequest {
  name: string;
  aliases: string[];
  ipv4Address?: string;
  ipv6Address?: string;
  macAddress?: string;
}
