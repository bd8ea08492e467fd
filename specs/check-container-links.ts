import { scaledToZero } from './expand.js';
import type { ContainerObject, ContainerSpec, DesiredObject } from './model.js';
import type { Problem } from './problems.js';
import { positionOf } from './positions.js';
import { objectLabel } from './validate/schema-errors.js';
import { cidrContains, parseCIDR, parseIP } from './validate/values.js';

const NAMESPACE_FIELDS = ['networkMode', 'ipc', 'pid'] as const;

/** The containers named by `container:NAME` in networkMode, ipc and pid. */
export function namespaceTargets(spec: ContainerSpec): string[] {
  return NAMESPACE_FIELDS.flatMap((field) => {
    const mode = spec[field];
    return mode?.startsWith('container:') ? [mode.slice('container:'.length)] : [];
  });
}

function problemAt(
  c: ContainerObject,
  path: (string | number)[],
  code: Problem['code'],
  text: string,
): Problem {
  return { ...positionOf(c, path), code, message: `${objectLabel('Container', c.name)}: ${text}` };
}

/**
 * `container:NAME` must name another declared Container with a container to join
 * (E_REFERENCE; not one declared with `replicas: 0`). Declared means
 * present in `objects` or in `alsoDeclared` (documents that failed validation).
 */
export function namespaceReferences(
  objects: DesiredObject[],
  isDeclared: (name: string) => boolean,
): Problem[] {
  const problems: Problem[] = [];
  const zero = new Set(objects.filter(scaledToZero).map((o) => o.name));
  for (const c of objects) {
    if (c.kind !== 'Container') continue;
    for (const field of NAMESPACE_FIELDS) {
      const mode = c.spec[field];
      if (!mode?.startsWith('container:')) continue;
      const name = mode.slice('container:'.length);
      if (name === (c.replica?.of ?? c.name))
        problems.push(
          problemAt(c, ['spec', field], 'E_REFERENCE', `spec.${field} names this container itself`),
        );
      else if (zero.has(name))
        // Compose refuses `network_mode: service:NAME` of a service with no container too.
        problems.push(
          problemAt(
            c,
            ['spec', field],
            'E_REFERENCE',
            `spec.${field} names Container "${name}", declared with replicas: 0: there is no container to join`,
          ),
        );
      else if (!isDeclared(name))
        problems.push(
          problemAt(
            c,
            ['spec', field],
            'E_REFERENCE',
            `spec.${field} names Container "${name}", which is not declared`,
          ),
        );
    }
  }
  return problems;
}

/**
 * Static addresses need a declared network with an ipam subnet of their family that
 * holds them (the engine assigns static addresses only from a user-configured subnet);
 * on an external network they are left to the engine.
 */
export function staticAddresses(objects: DesiredObject[]): Problem[] {
  const networks = new Map(
    objects.flatMap((o) => (o.kind === 'Network' ? [[o.name, o] as const] : [])),
  );
  const problems: Problem[] = [];
  for (const c of objects) {
    if (c.kind !== 'Container') continue;
    c.spec.networks.forEach((attachment, i) => {
      const network = networks.get(attachment.network);
      // A dangling reference is reported on its own; an external network's subnet is set
      // where it was made (a macvlan of the host's LAN, say), so the engine checks the address.
      if (!network || network.spec.external) return;
      for (const field of ['ipv4Address', 'ipv6Address'] as const) {
        const address = attachment[field];
        if (address === undefined) continue;
        const written = [network.spec.ipam, ...(network.spec.ipamMore ?? [])].flatMap((c) =>
          c?.subnet === undefined ? [] : [c.subnet],
        );
        const subnets = written.flatMap((s) => {
          const cidr = parseCIDR(s);
          return typeof cidr === 'object' ? [{ text: s, cidr }] : [];
        });
        const ip = parseIP(address);
        if (ip && subnets.some((s) => cidrContains(s.cidr, ip))) continue;
        const why =
          subnets.length > 0
            ? `is outside Network "${network.name}"'s subnet${subnets.length > 1 ? 's' : ''} ${subnets.map((s) => s.text).join(', ')}`
            : `needs Network "${network.name}" to declare ipam.subnet`;
        problems.push(
          problemAt(c, ['spec', 'networks', i, field], 'E_ADDRESS', `${address} ${why}`),
        );
      }
    });
  }
  return problems;
}
