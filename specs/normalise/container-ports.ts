import type { PortBinding } from '../model.js';
import type * as Raw from '../types.generated.js';
import { parseIP, splitHostIP } from '../validate/values.js';
import type { NormaliseContext } from './context.js';

type Protocol = PortBinding['protocol'];
const PROTOCOLS: readonly string[] = ['tcp', 'udp', 'sctp'];

/** `8000` or `8000-8002` → the ports it names, or an error message. */
function portRange(text: string): number[] | string {
  const match = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(text);
  const first = Number(match?.[1]);
  const last = match?.[2] === undefined ? first : Number(match[2]);
  if (!match || first < 1 || last > 65535 || last < first) {
    return `"${text}" is not a port or a range of ports between 1 and 65535`;
  }
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}

/** `8000-8002/udp` → protocol and the text before it. */
function splitProtocol(value: string): { body: string; protocol: Protocol } | string {
  const [body = '', protocol = 'tcp', ...rest] = value.split('/');
  if (rest.length > 0 || !PROTOCOLS.includes(protocol)) {
    return `"${value}" has an unknown protocol (tcp, udp or sctp)`;
  }
  return { body, protocol: protocol as Protocol };
}

/**
 * `[ip:][host[-end]:]container[-end][/proto]` as Docker accepts it (an empty host side
 * publishes on a host port the engine picks); a range maps port by port, so both sides must
 * name as many ports, except that a host range onto one container port (`8000-8010:80`) is
 * one binding the engine publishes on a free port of the range (nat.ParsePortSpec). An IPv6
 * host IP is written in brackets or bare (splitHostIP). Returns one binding per port, or an
 * error message.
 */
export function parsePortMapping(value: string): PortBinding[] | string {
  const split = splitProtocol(value);
  if (typeof split === 'string') return split;
  const [hostIP, ports] = splitHostIP(split.body);
  if (hostIP !== '' && parseIP(hostIP) === undefined) return `"${hostIP}" is not an IP address`;
  const sides = ports.split(':');
  if (sides.length > 2) return `"${value}" is not [ip:]host:container[/proto]`;
  const container = portRange(sides[sides.length - 1] ?? '');
  // An empty host side (`:80`, `127.0.0.1::80`): the engine picks a free host port, as Docker does.
  const host = sides.length === 2 && sides[0] !== '' ? portRange(sides[0] ?? '') : undefined;
  if (typeof container === 'string') return container;
  if (typeof host === 'string') return host;
  if (host && host.length > 1 && container.length === 1)
    return [hostRange(container[0] as number, host, hostIP, split.protocol)];
  if (host && host.length !== container.length) {
    return `"${value}" maps ${host.length} host port(s) onto ${container.length} container port(s); both sides of a range must be as long (or the container side one port)`;
  }
  return container.map((containerPort, i) => {
    const binding: PortBinding = { containerPort, hostIP, protocol: split.protocol };
    if (host) binding.hostPort = host[i] as number;
    return binding;
  });
}

/** One container port published on a free port of the host range `host` (first to last). */
function hostRange(
  containerPort: number,
  host: number[],
  hostIP: string,
  protocol: Protocol,
): PortBinding {
  const [hostPort, hostPortEnd] = [host[0] as number, host[host.length - 1] as number];
  return { containerPort, hostIP, protocol, hostPort, hostPortEnd };
}

/** `spec.ports`: short strings (with ranges) and the long form, one binding per port. */
export function normalisePorts(
  ports: (Raw.PortString | Raw.PortObject)[] | undefined,
  ctx: NormaliseContext,
): PortBinding[] {
  return (ports ?? []).flatMap((port, index) => {
    const at = ['spec', 'ports', index];
    if (typeof port === 'string') {
      const parsed = parsePortMapping(port);
      if (typeof parsed === 'string') ctx.report('E_PORT', at, parsed);
      return typeof parsed === 'string' ? [] : parsed;
    }
    if (port.hostIP !== undefined && port.hostIP !== '' && !parseIP(port.hostIP)) {
      ctx.report('E_PORT', [...at, 'hostIP'], `"${port.hostIP}" is not an IP address`);
      return [];
    }
    const binding: PortBinding = {
      containerPort: port.containerPort,
      hostIP: port.hostIP ?? '',
      protocol: port.protocol ?? 'tcp',
    };
    if (port.hostPort !== undefined) binding.hostPort = port.hostPort;
    const end = longFormEnd(port, ctx, at);
    if (end === null) return [];
    if (end !== undefined) binding.hostPortEnd = end;
    return [binding];
  });
}

/**
 * The long form's `hostPortEnd`: after `hostPort`, which it needs; the same port is no range
 * (undefined). null when reported.
 */
function longFormEnd(
  port: Raw.PortObject,
  ctx: NormaliseContext,
  at: (string | number)[],
): number | undefined | null {
  const end = port.hostPortEnd;
  if (end === undefined || end === port.hostPort) return undefined;
  if (port.hostPort === undefined || end < port.hostPort) {
    const why =
      port.hostPort === undefined
        ? 'needs hostPort, the first port of the range'
        : `${end} is below hostPort ${port.hostPort}; a range runs from hostPort up to hostPortEnd`;
    ctx.report('E_PORT', [...at, 'hostPortEnd'], why);
    return null;
  }
  return end;
}

/** `spec.expose`: `9000`, `"9000/udp"`, `"9000-9002"` → sorted unique `9000/tcp` keys. */
export function normaliseExpose(
  expose: (number | string)[] | undefined,
  ctx: NormaliseContext,
): string[] | undefined {
  if (!expose?.length) return undefined;
  const keys = new Set<string>();
  expose.forEach((entry, index) => {
    const split = splitProtocol(String(entry));
    const ports = typeof split === 'string' ? split : portRange(split.body);
    if (typeof ports === 'string' || typeof split === 'string') {
      ctx.report('E_PORT', ['spec', 'expose', index], typeof ports === 'string' ? ports : '');
      return;
    }
    for (const port of ports) keys.add(`${port}/${split.protocol}`);
  });
  return [...keys].sort(comparePortKeys);
}

function comparePortKeys(a: string, b: string): number {
  const [pa = '', ta = ''] = a.split('/');
  const [pb = '', tb = ''] = b.split('/');
  return Number(pa) - Number(pb) || ta.localeCompare(tb);
}
