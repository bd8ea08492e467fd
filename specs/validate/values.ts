/**
 * Parsers for the small value languages of manifests: durations, quantities, port
 * mappings and CIDR subnets. Pure functions; each returns `undefined` (or an error
 * string) instead of throwing, so the validator can turn the failure into a Problem.
 */

const DURATION_UNITS_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** `5s`, `1m30s`, `500ms`, `1.5h` (Go style) or an integer number of seconds → milliseconds. */
export function parseDuration(value: string | number): number | undefined {
  if (typeof value === 'number') {
    return Number.isSafeInteger(value) && value >= 0 ? value * 1000 : undefined;
  }
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  // \u00b5: µ, written so the CLI bundle stays ASCII (cached-bundle.ts).
  const part = /(\d+(?:\.\d+)?)(ns|us|\u00b5s|ms|s|m|h)/gy;
  let total = 0;
  let consumed = 0;
  for (const match of value.matchAll(part)) {
    total += Number(match[1]) * (DURATION_UNITS_MS[match[2] ?? ''] ?? NaN);
    consumed += match[0].length;
  }
  if (value.length === 0 || consumed !== value.length || !Number.isFinite(total)) return undefined;
  return Math.round(total);
}

/** The longest delay a Node timer takes (2^31 − 1 ms, about 24.8 days); a longer one fires at once. */
export const MAX_DELAY_MS = 2 ** 31 - 1;

/**
 * A duration berth waits with a timer (`--timeout`, `--resync`, `--interval`,
 * `--lock-timeout`), in ms: {@link parseDuration}'s value, a longer one capped at
 * {@link MAX_DELAY_MS} — as good as forever for a wait, where the timer would otherwise fire
 * after 1 ms (F131: `--resync 100000h` resynced ~25 times a second). Undefined when it is
 * not a duration.
 */
export function parseDelay(value: string | number): number | undefined {
  const ms = parseDuration(value);
  return ms === undefined ? undefined : Math.min(ms, MAX_DELAY_MS);
}

const QUANTITY_FACTORS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1e3,
  K: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
  Ti: 1024 ** 4,
};

/** `256Mi`, `1G`, `512k` or a plain number of bytes → bytes (whole, positive). */
export function parseQuantity(value: string | number): number | undefined {
  if (typeof value === 'number') {
    return Number.isSafeInteger(value) && value > 0 ? value : undefined;
  }
  const match = /^(\d+(?:\.\d+)?)(b|k|K|M|G|T|Ki|Mi|Gi|Ti)?$/.exec(value);
  if (!match) return undefined;
  const bytes = Math.round(Number(match[1]) * (QUANTITY_FACTORS[match[2] ?? ''] ?? NaN));
  return Number.isSafeInteger(bytes) && bytes > 0 ? bytes : undefined;
}

/** Docker's size units (powers of 1024) in berth's spelling; bytes and `p` have none. */
const DOCKER_UNITS: Record<string, string | number> = {
  '': 1,
  k: 'Ki',
  m: 'Mi',
  g: 'Gi',
  t: 'Ti',
  p: 1024 ** 5,
};

/**
 * A size as Docker reads it — go-units RAMInBytes, what docker compose uses for `mem_limit`,
 * `shm_size`, a tmpfs `size` or `deploy.resources.limits.memory`: a number, then an optional
 * k, m, g, t or p with an optional `i` and `b`, any case (`512m`, `2g`, `1.5GB`, `64Mi`,
 * `100b`), each a power of 1024 — in berth's spelling (`512Mi`, `2Gi`, `1.5Gi`), or whole
 * bytes where berth has no unit. Undefined when it is not one. Note that Docker's `1G` is
 * berth's `1Gi`: berth's own `1G` and `512k` are decimal, as in Kubernetes.
 */
export function dockerSize(text: string): string | number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?) ?([kmgtp]?)i?b?\s*$/i.exec(text);
  if (!match) return undefined;
  const unit = DOCKER_UNITS[match[2]!.toLowerCase()]!;
  // Bytes are whole: RAMInBytes truncates a fraction of a byte.
  if (typeof unit === 'number') return Math.trunc(Number(match[1]) * unit) || undefined;
  return Number(match[1]) > 0 ? `${match[1]}${unit}` : undefined;
}

export type Protocol = 'tcp' | 'udp' | 'sctp';

export interface ParsedPort {
  containerPort: number;
  hostPort?: number;
  hostIP: string;
  protocol: Protocol;
}

function portNumber(text: string): number | undefined {
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const n = Number(text);
  return n >= 1 && n <= 65535 ? n : undefined;
}

/**
 * A port mapping without its protocol → its host IP ('' when none) and the ports after it, as
 * Docker's nat.ParsePortSpec splits it: an IPv6 address in brackets (`[::1]:8080:80`), else
 * everything before the last two parts (`127.0.0.1:8080:80`, and a bare IPv6 address such
 * as `::1:8080:80`, which a variable like Mailu's `$BIND_ADDRESS6:80:80` gives).
 */
export function splitHostIP(mapping: string): [hostIP: string, ports: string] {
  const v6 = /^\[([0-9a-fA-F:.]+)\]:(.*)$/.exec(mapping);
  if (v6) return [v6[1] ?? '', v6[2] ?? ''];
  const parts = mapping.split(':');
  if (parts.length < 3) return ['', mapping];
  return [parts.slice(0, -2).join(':'), parts.slice(-2).join(':')];
}

/**
 * `[ip:]host:container[/proto]` or `container[/proto]`; an IPv6 host IP is written in
 * brackets (`[::1]:8080:80`) or bare (`::1:8080:80`), as Docker reads both. Returns an
 * error message when the string is not a mapping.
 */
export function parsePortString(value: string): ParsedPort | string {
  const [mapping = '', protocol = 'tcp', ...rest] = value.split('/');
  if (rest.length > 0 || !['tcp', 'udp', 'sctp'].includes(protocol)) {
    return `"${value}" has an unknown protocol (tcp, udp or sctp)`;
  }
  const [hostIP, ports] = splitHostIP(mapping);
  if (hostIP !== '' && parseIP(hostIP) === undefined) return `"${hostIP}" is not an IP address`;
  const parts = ports.split(':');
  if (parts.length > 2) return `"${value}" is not [ip:]host:container[/proto]`;
  const containerPort = portNumber(parts[parts.length - 1] ?? '');
  const hostPort = parts.length === 2 ? portNumber(parts[0] ?? '') : undefined;
  if (containerPort === undefined || (parts.length === 2 && hostPort === undefined)) {
    return `"${value}" needs ports between 1 and 65535`;
  }
  const parsed: ParsedPort = { containerPort, hostIP, protocol: protocol as Protocol };
  if (hostPort !== undefined) parsed.hostPort = hostPort;
  return parsed;
}

/** An IP address as a bigint with its bit width, or undefined. */
export interface ParsedIP {
  bits: 32 | 128;
  value: bigint;
}

export function parseIP(text: string): ParsedIP | undefined {
  const v4 = parseIPv4(text);
  if (v4 !== undefined) return { bits: 32, value: v4 };
  const v6 = parseIPv6(text);
  return v6 === undefined ? undefined : { bits: 128, value: v6 };
}

/** Four decimal octets without leading zeros (`10.0.0.2`), as the engine reads them. */
const IPV4 = /^(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})$/;

function parseIPv4(text: string): bigint | undefined {
  const octets = IPV4.exec(text);
  if (!octets) return undefined;
  // One regular expression and plain numbers, one bigint at the end: this runs for every
  // address of every container (dns, extraHosts, static addresses; issue 12).
  let value = 0;
  for (let i = 1; i <= 4; i++) {
    const octet = Number(octets[i]);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return BigInt(value);
}

function parseIPv6(text: string): bigint | undefined {
  if (!/^[0-9a-fA-F:]+$/.test(text) || text.split('::').length > 2) return undefined;
  const [head = '', tail] = text.split('::');
  const groups = (s: string): string[] => (s === '' ? [] : s.split(':'));
  const front = groups(head);
  const back = tail === undefined ? [] : groups(tail);
  const missing = 8 - front.length - back.length;
  if (tail === undefined ? missing !== 0 : missing < 1) return undefined;
  const all = [...front, ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...back];
  let value = 0n;
  for (const group of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return undefined;
    value = (value << 16n) | BigInt(parseInt(group, 16));
  }
  return value;
}

export interface ParsedCIDR {
  ip: ParsedIP;
  prefix: number;
}

/** `172.30.0.0/24` or `fd00::/64`; host bits must be zero. Returns an error message otherwise. */
export function parseCIDR(text: string): ParsedCIDR | string {
  const [address = '', prefixText, ...rest] = text.split('/');
  const ip = parseIP(address);
  if (ip === undefined || prefixText === undefined || rest.length > 0) {
    return `"${text}" is not a CIDR subnet such as 172.30.0.0/24`;
  }
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > ip.bits) {
    return `"${text}" has a prefix length outside 0..${ip.bits}`;
  }
  const prefix = Number(prefixText);
  const hostMask = (1n << BigInt(ip.bits - prefix)) - 1n;
  if ((ip.value & hostMask) !== 0n) return `"${text}" has host bits set`;
  return { ip, prefix };
}

/** Whether an address lies inside a subnet (same family, same network bits). */
export function cidrContains(subnet: ParsedCIDR, ip: ParsedIP): boolean {
  if (subnet.ip.bits !== ip.bits) return false;
  const shift = BigInt(ip.bits - subnet.prefix);
  return ip.value >> shift === subnet.ip.value >> shift;
}
