import { constants } from 'node:os';

/** The parts of `docker inspect` of a container that tests compare. */
export interface ContainerInspect {
  Id: string;
  Config: Record<string, unknown>;
  HostConfig: Record<string, unknown>;
  NetworkSettings: {
    Networks: Record<string, { IPAMConfig?: { IPv4Address?: string }; MacAddress?: string }>;
  };
}

const SIGNAL_NAMES = new Map(Object.entries(constants.signals).map(([name, n]) => [n, name]));

/** `2` → `SIGINT` (Podman reports the stop signal by number). */
function signalName(value: unknown): unknown {
  return typeof value === 'string' && /^\d+$/.test(value)
    ? (SIGNAL_NAMES.get(Number(value)) ?? value)
    : value;
}

const withCap = (caps: unknown) =>
  Array.isArray(caps) ? caps.map((c: string) => (c.startsWith('CAP_') ? c : `CAP_${c}`)) : caps;

/**
 * A container's inspect in Docker's words, whichever engine answered: Podman 4.3.1's
 * compatible inspect spells some values its own way (F222, seen here): the stop signal as a
 * number (`2`), capabilities without `CAP_`, `no-new-privileges` without `:true`, ulimit names
 * as `RLIMIT_NOFILE`. Only spellings change: a value an engine does not report stays absent,
 * so a test still fails when a field did not reach the engine (or checks its effect instead).
 * Docker's answer is returned as it is.
 */
export function inDockerWords(raw: ContainerInspect): ContainerInspect {
  const config = { ...raw.Config, StopSignal: signalName(raw.Config.StopSignal) };
  const host = { ...raw.HostConfig };
  host.CapAdd = withCap(host.CapAdd);
  host.CapDrop = withCap(host.CapDrop);
  if (Array.isArray(host.SecurityOpt))
    host.SecurityOpt = host.SecurityOpt.map((o: string) =>
      o === 'no-new-privileges' ? 'no-new-privileges:true' : o,
    );
  if (Array.isArray(host.Ulimits))
    host.Ulimits = host.Ulimits.map((u: { Name: string }) => ({
      ...u,
      Name: u.Name.replace(/^RLIMIT_/, '').toLowerCase(),
    }));
  return { ...raw, Config: config, HostConfig: host };
}

/** Mount options an engine adds by itself (Podman lists them on every bind and tmpfs). */
const DEFAULT_OPTIONS = new Set([
  'rw',
  'rprivate',
  'rbind',
  'bind',
  'nosuid',
  'nodev',
  'tmpcopyup',
]);

/**
 * A container's mounts as one sorted list of lines, `TYPE TARGET [options]`, the same words on
 * either engine: Docker keeps them in `HostConfig.Mounts` (plus the `Binds` and `Tmpfs` berth
 * sends for SELinux labels and tmpfs owners), Podman lists binds and volumes in `Binds` and
 * tmpfs in `Tmpfs`, with its own default options (left out here). A tmpfs Podman adds by
 * itself for a read-only root (`/tmp`, `/var/tmp`: no size) is left out too.
 */
export function mountLines(raw: ContainerInspect): string[] {
  const host = raw.HostConfig;
  const lines: string[] = [];
  for (const m of (host.Mounts as DockerMount[] | null) ?? []) lines.push(dockerMountLine(m));
  for (const bind of (host.Binds as string[] | null) ?? []) {
    const [source = '', target = '', options = ''] = bind.split(':');
    const kind = source.startsWith('/') ? 'bind' : 'volume';
    lines.push(line(kind, target, options.split(',')));
  }
  for (const [target, options] of Object.entries((host.Tmpfs as Record<string, string>) ?? {})) {
    const list = options.split(',').map((o) => (o.startsWith('size=') ? `size=${o.slice(5)}` : o));
    if (!list.some((o) => o.startsWith('size='))) continue;
    lines.push(line('tmpfs', target, list));
  }
  return lines.sort();
}

interface DockerMount {
  Type: string;
  Target: string;
  ReadOnly?: boolean;
  BindOptions?: { Propagation?: string };
  VolumeOptions?: { NoCopy?: boolean };
  TmpfsOptions?: { SizeBytes?: number; Mode?: number };
}

function dockerMountLine(m: DockerMount): string {
  const options = [
    m.ReadOnly ? 'ro' : '',
    m.BindOptions?.Propagation ?? '',
    m.VolumeOptions?.NoCopy ? 'nocopy' : '',
    m.TmpfsOptions?.SizeBytes !== undefined ? `size=${m.TmpfsOptions.SizeBytes}` : '',
    m.TmpfsOptions?.Mode !== undefined ? `mode=${m.TmpfsOptions.Mode.toString(8)}` : '',
  ];
  return line(m.Type, m.Target, options);
}

function line(kind: string, target: string, options: string[]): string {
  const kept = options.filter((o) => o !== '' && !DEFAULT_OPTIONS.has(o));
  return [kind, target, ...kept].join(' ');
}
