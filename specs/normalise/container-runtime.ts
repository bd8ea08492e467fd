import type { ContainerSpec, DeviceMapping, GpuRequest, LimitPair } from '../model.js';
import type * as Raw from '../types.generated.js';
import { canonicalCapability, canonicalSignal } from '../validate/linux-names.js';
import { parseIP } from '../validate/values.js';
import { stringMap } from './context.js';
import type { NormaliseContext } from './context.js';

/** The runtime fields of issue 12 that the normalised spec carries only when set. */
export type RuntimeFields = Pick<
  ContainerSpec,
  | 'hostname'
  | 'domainname'
  | 'dns'
  | 'dnsSearch'
  | 'dnsOptions'
  | 'extraHosts'
  | 'networkMode'
  | 'capAdd'
  | 'capDrop'
  | 'securityOpt'
  | 'readOnlyRootFilesystem'
  | 'tty'
  | 'stdin'
  | 'stopSignal'
  | 'sysctls'
  | 'ulimits'
  | 'devices'
  | 'gpus'
  | 'groupAdd'
  | 'ipc'
  | 'pid'
  | 'logging'
  | 'platform'
  | 'runtime'
>;

/**
 * hostname … platform: each brought to one spelling (capabilities `CAP_X`, signals
 * `SIGX`, extra hosts `host:ip` sorted, maps sorted) and left out when empty or default,
 * so equal declarations hash alike and older specs keep their hash.
 */
export function normaliseRuntime(raw: Raw.ContainerSpec, ctx: NormaliseContext): RuntimeFields {
  const fields: RuntimeFields = {
    hostname: raw.hostname,
    domainname: raw.domainname,
    dns: nonEmpty(addresses(raw.dns, 'dns', ctx)),
    dnsSearch: nonEmpty(raw.dnsSearch),
    dnsOptions: nonEmpty(raw.dnsOptions),
    extraHosts: nonEmpty(extraHosts(raw.extraHosts, ctx)),
    networkMode: raw.networkMode,
    capAdd: nonEmpty(capabilities(raw.capAdd, 'capAdd', ctx)),
    capDrop: nonEmpty(capabilities(raw.capDrop, 'capDrop', ctx)),
    securityOpt: nonEmpty(raw.securityOpt && [...new Set(raw.securityOpt)]),
    readOnlyRootFilesystem: raw.readOnlyRootFilesystem || undefined,
    tty: raw.tty || undefined,
    stdin: raw.stdin || undefined,
    stopSignal: signal(raw.stopSignal, ctx),
    sysctls: nonEmptyMap(sysctls(raw.sysctls)),
    ulimits: nonEmptyMap(ulimits(raw.ulimits, ctx)),
    devices: nonEmpty(raw.devices?.map(device)),
    gpus: gpus(raw.gpus, ctx),
    groupAdd: nonEmpty(raw.groupAdd && [...new Set(raw.groupAdd.map(String))]),
    ipc: raw.ipc,
    pid: raw.pid,
    logging: raw.logging && {
      driver: raw.logging.driver ?? 'json-file',
      options: stringMap(raw.logging.options),
    },
    platform: raw.platform,
    runtime: raw.runtime,
  };
  return definedOnly(fields);
}

/** The fields that are set, in order: a loop, not entries and back (once per container, issue 18). */
function definedOnly<T extends object>(fields: T): T {
  const defined: Record<string, unknown> = {};
  for (const key of Object.keys(fields)) {
    const value = (fields as Record<string, unknown>)[key];
    if (value !== undefined) defined[key] = value;
  }
  return defined as T;
}

function nonEmpty<T>(list: T[] | undefined): T[] | undefined {
  return list && list.length > 0 ? list : undefined;
}

function nonEmptyMap<T>(map: Record<string, T>): Record<string, T> | undefined {
  return Object.keys(map).length > 0 ? map : undefined;
}

function addresses(
  list: string[] | undefined,
  field: string,
  ctx: NormaliseContext,
): string[] | undefined {
  return list?.filter((address, i) => {
    if (parseIP(address)) return true;
    ctx.report('E_ADDRESS', ['spec', field, i], `"${address}" is not an IP address`);
    return false;
  });
}

/** A map host → IP or a list of `host:ip` / `host=ip` → sorted `host:ip`. */
function extraHosts(raw: Raw.ContainerSpec['extraHosts'], ctx: NormaliseContext): string[] {
  const pairs: [string, string, (string | number)[]][] = Array.isArray(raw)
    ? raw.map((entry, i) => {
        const at = /[:=]/.exec(entry)?.index ?? entry.length;
        return [entry.slice(0, at), entry.slice(at + 1), ['spec', 'extraHosts', i]];
      })
    : Object.entries(raw ?? {}).map(([host, ip]) => [host, ip, ['spec', 'extraHosts', host]]);
  const out = new Set<string>();
  for (const [host, written, path] of pairs) {
    const ip = written.replace(/^\[(.*)\]$/, '$1');
    if (ip === 'host-gateway' || parseIP(ip)) out.add(`${host}:${ip}`);
    else ctx.report('E_ADDRESS', path, `"${written}" is not an IP address (or host-gateway)`);
  }
  return [...out].sort();
}

function capabilities(
  list: string[] | undefined,
  field: string,
  ctx: NormaliseContext,
): string[] | undefined {
  if (!list) return undefined;
  const out = new Set<string>();
  list.forEach((name, i) => {
    const canonical = canonicalCapability(name);
    if (canonical) out.add(canonical);
    else
      ctx.report(
        'E_CAPABILITY',
        ['spec', field, i],
        `"${name}" is not a Linux capability (such as NET_ADMIN or CAP_NET_ADMIN, or ALL)`,
      );
  });
  return [...out].sort();
}

function signal(written: string | undefined, ctx: NormaliseContext): string | undefined {
  if (written === undefined) return undefined;
  const canonical = canonicalSignal(written);
  if (!canonical)
    ctx.report('E_SIGNAL', ['spec', 'stopSignal'], `"${written}" is not a signal (SIGINT, TERM…)`);
  return canonical;
}

function sysctls(raw: Raw.ContainerSpec['sysctls']): Record<string, string> {
  if (!Array.isArray(raw)) return stringMap(raw);
  return stringMap(
    Object.fromEntries(
      raw.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
    ),
  );
}

function ulimits(
  raw: Raw.ContainerSpec['ulimits'],
  ctx: NormaliseContext,
): Record<string, LimitPair> {
  const out: Record<string, LimitPair> = {};
  const entries = Object.entries(raw ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
  for (const [name, value] of entries) {
    if (value === undefined) continue;
    const pair = typeof value === 'number' ? { soft: value, hard: value } : value;
    if (pair.hard !== -1 && (pair.soft === -1 || pair.soft > pair.hard))
      ctx.report(
        'E_RANGE',
        ['spec', 'ulimits', name],
        `soft limit ${pair.soft} is above hard limit ${pair.hard}`,
      );
    out[name] = { soft: pair.soft, hard: pair.hard };
  }
  return out;
}

/** `/dev/fuse`, `/dev/a:/dev/b`, `/dev/a:/dev/b:r` (permissions default rwm). */
function device(written: string): DeviceMapping {
  const [hostPath = '', second, third] = written.split(':');
  const secondIsPerms = second !== undefined && !second.startsWith('/');
  return {
    hostPath,
    containerPath: secondIsPerms || second === undefined ? hostPath : second,
    permissions: (secondIsPerms ? second : third) ?? 'rwm',
  };
}

/**
 * `gpus` → one engine DeviceRequest. The short forms (`all`, a count, device ids) ask for the
 * `gpu` capability of any driver, as `docker run --gpus` does, and normalise as before (no
 * recreate on upgrade); the long form is Compose's `deploy.resources.reservations.devices`
 * entry: a count or device ids (not both), a driver, capabilities and driver options.
 */
function gpus(raw: Raw.ContainerSpec['gpus'], ctx: NormaliseContext): GpuRequest | undefined {
  if (raw === undefined) return undefined;
  if (raw === 'all') return { count: -1 };
  if (typeof raw === 'number') return { count: raw };
  if (Array.isArray(raw)) return { deviceIds: [...raw] };
  if (raw.count !== undefined && raw.deviceIds)
    ctx.report(
      'E_SCHEMA',
      ['spec', 'gpus', 'deviceIds'],
      'names devices, so count cannot be set too',
    );
  const caps = raw.capabilities && [...new Set(raw.capabilities)];
  const extra = {
    ...(raw.driver !== undefined && { driver: raw.driver }),
    ...(caps && !(caps.length === 1 && caps[0] === 'gpu') && { capabilities: caps }),
    ...(raw.options && Object.keys(raw.options).length && { options: stringMap(raw.options) }),
  };
  if (raw.deviceIds) return { deviceIds: [...raw.deviceIds], ...extra };
  return { count: raw.count === undefined || raw.count === 'all' ? -1 : raw.count, ...extra };
}
