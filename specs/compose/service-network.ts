import { isIPv6 } from 'node:net';
import { isRecord } from './located.js';
import type { ServiceWork } from './service-work.js';
import { modeNetwork, networkObject } from './shared.js';
import { berthName, lose, whereIn } from './state.js';
import { flag, hasVariable, text } from './values.js';

/**
 * Networking fields of a service: ports, networks, network_mode, links, depends_on, ipc
 * and pid. Returns false for a key it does not handle.
 */
export function carryNetworking(w: ServiceWork, key: string, value: unknown): boolean {
  switch (key) {
    case 'ports':
      w.spec.ports = (Array.isArray(value) ? value : [value]).map((p, i) => port(w, i, p));
      return true;
    case 'networks':
      carryNetworks(w, value);
      return true;
    case 'network_mode':
    case 'ipc':
    case 'pid': {
      const mode = sharedNamespace(w, text(value), key);
      if (mode !== undefined) w.spec[key === 'network_mode' ? 'networkMode' : key] = mode;
      return true;
    }
    case 'links':
      carryLinks(w, value as unknown[]);
      return true;
    case 'depends_on':
      carryDependsOn(w, value);
      return true;
    default:
      return false;
  }
}

/**
 * `service:NAME`, and `container:NAME` where NAME is the `container_name` of a service in
 * the project, → `container:<berth name>`; other modes pass through. A container outside
 * the project cannot be named (berth shares namespaces with declared containers only), so
 * that field is left out and named as a loss rather than written as a dangling reference.
 */
function sharedNamespace(w: ServiceWork, mode: string, key: string): string | undefined {
  // The engine's `default` network mode is its bridge (docker create --network default
  // attaches the container to `bridge`): berth's `networkMode: bridge`.
  if (key === 'network_mode' && mode === 'default') return 'bridge';
  if (mode.startsWith('service:')) {
    const service = mode.slice(8);
    if (service in w.state.project.services)
      return `container:${berthName(w.state, 'service', service)}`;
    lose(
      w.state,
      w.svc,
      key,
      `services.${w.service}.${key}`,
      `${service}: ${missingWhy(w, service)}`,
    );
    return undefined;
  }
  if (!mode.startsWith('container:')) return mode;
  const named = mode.slice(10);
  const service = Object.entries(w.state.project.services).find(
    ([, svc]) => isRecord(svc) && svc.container_name === named,
  )?.[0];
  if (service !== undefined) return `container:${berthName(w.state, 'service', service)}`;
  lose(
    w.state,
    w.svc,
    key,
    `services.${w.service}.${key}`,
    `${named} is not a container of this project; berth shares namespaces with declared containers only`,
  );
  return undefined;
}

/** Why a service named by another is not in the converted project. */
function missingWhy(w: ServiceWork, service: string): string {
  const { project } = w.state;
  if (project.inactive.includes(service)) return 'that service is not in an active profile';
  if (project.partial.some((p) => p.name === service))
    return 'that service has neither an image nor a build';
  return 'no such service';
}

/**
 * One Compose port, short or long, as berth writes it. The protocol is lower-cased, as the
 * engine reads it (`80:80/UDP` is udp: nat.ParsePortSpec lower-cases it; so does the long
 * syntax's `protocol: UDP` on its way to the engine).
 */
function port(w: ServiceWork, i: number, entry: unknown): unknown {
  if (typeof entry === 'number') return String(entry);
  if (!isRecord(entry))
    return bracketIPv6(
      text(entry)
        .trim()
        .replace(/\/([A-Za-z]+)$/, (m) => m.toLowerCase()),
    );
  const where = `services.${w.service}.ports[${i}]`;
  for (const k of ['name', 'app_protocol'])
    if (k in entry)
      lose(w.state, entry, k, `${where}.${k}`, 'berth ports carry no name or application protocol');
  if (entry.mode === 'ingress' && entry.published !== undefined)
    w.notes.push(`${where}: mode ingress (swarm) published as a host port`);
  const published = entry.published === undefined ? undefined : text(entry.published);
  const written = entry.protocol === undefined ? undefined : text(entry.protocol);
  const protocol = written && !hasVariable(written) ? written.toLowerCase() : written;
  const simple =
    (published === undefined || /^[0-9]+$/.test(published)) && /^[0-9]+$/.test(text(entry.target));
  if (simple)
    return {
      containerPort: Number(entry.target),
      ...(published !== undefined && { hostPort: Number(published) }),
      ...(entry.host_ip !== undefined && { hostIP: text(entry.host_ip) }),
      ...(protocol !== undefined && { protocol }),
    };
  const host = entry.host_ip === undefined ? '' : `${hostIP(text(entry.host_ip))}:`;
  const pub = published === undefined ? '' : `${published}:`;
  return `${host}${pub}${text(entry.target)}${protocol ? `/${protocol}` : ''}`;
}

/**
 * A short port with a bare IPv6 host address (`::1:80:80`), which Docker's nat.ParsePortSpec
 * reads as address `::1` (all but the last two parts), written as berth's port string takes
 * it: `[::1]:80:80`. Anything else is returned as it is.
 */
function bracketIPv6(short: string): string {
  const parts = /^(.*):([^:]*):([^:]+)$/.exec(short);
  if (!parts || !isIPv6(parts[1]!)) return short;
  return `[${parts[1]}]:${parts[2]}:${parts[3]}`;
}

/** A long port's `host_ip` as the address part of a port string: an IPv6 one in brackets. */
function hostIP(address: string): string {
  return isIPv6(address) ? `[${address}]` : address;
}

function carryNetworks(w: ServiceWork, value: unknown): void {
  if (!isRecord(value)) return;
  const attachments: Record<string, unknown>[] = [];
  for (const [composeName, options] of Object.entries(value)) {
    const opts = isRecord(options) ? options : {};
    const where = `services.${w.service}.networks.${composeName}`;
    const mode = modeNetwork(w.state, composeName);
    if (mode !== undefined) {
      joinModeNetwork(w, value, composeName, mode, opts);
      continue;
    }
    const attachment: Record<string, unknown> = { network: networkObject(w.state, composeName) };
    for (const [k, v] of Object.entries(opts)) {
      if (k === 'aliases') attachment.aliases = (Array.isArray(v) ? v : [v]).map(text);
      else if (k === 'ipv4_address') attachment.ipv4Address = text(v);
      else if (k === 'ipv6_address') attachment.ipv6Address = text(v);
      else if (k === 'mac_address') attachment.macAddress = text(v);
      else if (k === 'priority') attachment.priority = v;
      else lose(w.state, opts, k, `${where}.${k}`, 'not a berth network attachment field');
    }
    attachments.push(attachment);
  }
  if (attachments.length) w.spec.networks = attachments;
}

/**
 * A service on the engine's host/none network: in Compose that is its network mode, and
 * so in berth (`networkMode`), as long as it is the service's only network and mode.
 */
function joinModeNetwork(
  w: ServiceWork,
  networks: Record<string, unknown>,
  composeName: string,
  mode: 'host' | 'none',
  options: Record<string, unknown>,
): void {
  const where = `services.${w.service}.networks.${composeName}`;
  if (Object.keys(networks).length > 1 || w.spec.networkMode !== undefined) {
    lose(w.state, networks, composeName, where, `the ${mode} network excludes every other network`);
    return;
  }
  w.spec.networkMode = mode;
  for (const k of Object.keys(options))
    lose(w.state, options, k, `${where}.${k}`, `the ${mode} network takes no ${k}`);
}

/**
 * Gives the container the names Compose would have made resolvable beyond its service
 * name (its `container_name`, its original name when the DNS label differs) as aliases
 * on every network it joins; a container on the default network names it for that.
 */
export function finishNetworks(w: ServiceWork): void {
  if (w.spec.networkMode === 'host' && w.spec.ports !== undefined) {
    // The engine discards published ports of a host-network container; berth refuses them.
    delete w.spec.ports;
    w.notes.push(`services.${w.service}.ports: dropped (the host network publishes every port)`);
  }
  if (w.service.toLowerCase() !== w.name) w.aliases.push(w.service);
  const aliases = [...new Set(w.aliases)].filter((a) => a !== w.name);
  if (w.aliases.includes(text(w.svc.container_name))) loseContainerName(w);
  if (aliases.length === 0) return;
  if (w.spec.networkMode !== undefined) {
    if (!('container_name' in w.svc))
      lose(
        w.state,
        w.svc,
        'container_name',
        `services.${w.service}`,
        'with network_mode the name cannot be an alias',
      );
    return;
  }
  if (!Array.isArray(w.spec.networks))
    w.spec.networks = [{ network: networkObject(w.state, 'default') }];
  for (const attachment of w.spec.networks as Record<string, unknown>[]) {
    const own = Array.isArray(attachment.aliases) ? (attachment.aliases as string[]) : [];
    attachment.aliases = [...new Set([...own, ...aliases])];
  }
}

/**
 * `container_name` sets the engine name in Compose; under berth the engine name is
 * `<project>-<name>` (DESIGN.md, "Identity and ownership": no field chooses another), so
 * `docker exec`/`docker logs` of the old name stop working. Said with what it becomes, as
 * a warning, not a loss: the name still resolves (an alias), and 162 of the 196 public
 * Compose files tried use container_name — as a loss, nearly every import would exit 2.
 */
function loseContainerName(w: ServiceWork): void {
  const name = text(w.svc.container_name);
  const engine = `${w.state.projectName}-${w.name}`;
  const kept =
    w.spec.networkMode === undefined
      ? `${name} stays a network alias, so other services still reach it by that name`
      : 'with network_mode it cannot be a network alias either';
  w.state.warnings.push({
    where: whereIn(w.state, w.svc, 'container_name'),
    message:
      `services.${w.service}.container_name: berth names the engine container ${engine} (<project>-<name>; no berth field sets another name); ` +
      `${kept}; scripts that run \`docker exec ${name}\` must use \`docker exec ${engine}\` or \`berth exec ${w.name}\``,
  });
}

const CONDITIONS: Record<string, string> = {
  service_started: 'started',
  service_healthy: 'healthy',
  service_completed_successfully: 'completed',
};

function carryDependsOn(w: ServiceWork, value: unknown): void {
  if (!isRecord(value)) return;
  const deps = dependsOn(w);
  for (const [service, options] of Object.entries(value)) {
    const opts = isRecord(options) ? options : {};
    const where = `services.${w.service}.depends_on.${service}`;
    if (!(service in w.state.project.services)) {
      if (opts.required !== false) lose(w.state, value, service, where, missingWhy(w, service));
      continue;
    }
    if (runsNoContainer(w, service)) {
      lose(
        w.state,
        value,
        service,
        where,
        `${service} is a provider service: it runs no container to wait for`,
      );
      continue;
    }
    const condition = opts.condition === undefined ? 'started' : CONDITIONS[text(opts.condition)];
    if (!condition)
      lose(w.state, opts, 'condition', `${where}.condition`, 'not a Compose condition');
    // Compose restarts the dependant after it updates the dependency: berth's dependsOn
    // restart does so after berth replaces it (controller/plan/plan.ts dependencyReplaced).
    const restart = opts.restart === undefined ? false : flag(opts.restart);
    if (restart === undefined)
      lose(w.state, opts, 'restart', `${where}.restart`, 'not true or false (nor a variable)');
    deps.set(service, {
      container: berthName(w.state, 'service', service),
      condition: condition ?? 'started',
      ...(restart !== undefined && restart !== false && { restart }),
    });
  }
}

/** A service with neither image nor build (a provider service): import writes no Container for it. */
function runsNoContainer(w: ServiceWork, service: string): boolean {
  const svc = w.state.project.services[service];
  return isRecord(svc) && !('image' in svc) && !('build' in svc);
}

function dependsOn(w: ServiceWork): Map<string, Record<string, unknown>> {
  if (w.spec.dependsOn instanceof Map)
    return w.spec.dependsOn as Map<string, Record<string, unknown>>;
  const map = new Map<string, Record<string, unknown>>();
  w.spec.dependsOn = map;
  return map;
}

/**
 * `links: [SERVICE]` waits for SERVICE, as Compose starts it first; an alias
 * (`SERVICE:ALIAS`) is carried after every service is converted (link-aliases.ts).
 */
function carryLinks(w: ServiceWork, links: unknown[]): void {
  const deps = dependsOn(w);
  links.forEach((link, i) => {
    const [service = '', alias] = text(link).split(':');
    if (alias && alias !== service)
      w.state.linkAliases.push({
        linker: w.service,
        target: service,
        alias,
        list: links,
        index: i,
      });
    if (!(service in w.state.project.services) || hasVariable(service)) return;
    if (runsNoContainer(w, service)) return;
    if (!deps.has(service))
      deps.set(service, {
        container: berthName(w.state, 'service', service),
        condition: 'started',
      });
  });
}

/** Turns the working dependsOn map into the list berth writes. */
export function finishDependsOn(w: ServiceWork): void {
  const deps = w.spec.dependsOn;
  if (deps instanceof Map) {
    if (deps.size === 0) delete w.spec.dependsOn;
    else
      w.spec.dependsOn = [...deps.values()].map((d: Record<string, unknown>) =>
        d.condition === 'started' ? { container: d.container, restart: d.restart } : d,
      );
  }
}
