import type { IpamEntry } from '../model.js';
import type * as Raw from '../types.generated.js';
import { cidrContains, parseCIDR, parseIP, type ParsedCIDR } from '../validate/values.js';
import type { NormaliseContext } from './context.js';

type Path = (string | number)[];

/**
 * One written ipam entry, checked and with its unset fields left out (a network written
 * before `ipRange` and `auxAddresses` existed keeps its spec hash). Each address must sit
 * inside the entry's subnet: the engine refuses the network otherwise, after berth has
 * planned it (Compose `ip_range`, `aux_addresses`).
 */
export function normaliseIpamEntry(
  entry: Raw.IpamConfig,
  path: Path,
  ctx: NormaliseContext,
): IpamEntry {
  const subnet = entry.subnet === undefined ? undefined : parseCIDR(entry.subnet);
  if (typeof subnet === 'string') ctx.report('E_CIDR', [...path, 'subnet'], subnet);
  const inside = typeof subnet === 'string' ? 'unknown' : subnet;
  if (entry.gateway !== undefined)
    checkAddress(entry.gateway, inside, entry.subnet, [...path, 'gateway'], ctx);
  if (entry.ipRange !== undefined) checkRange(entry.ipRange, inside, entry.subnet, path, ctx);
  for (const [host, address] of Object.entries(entry.auxAddresses ?? {}))
    checkAddress(address, inside, entry.subnet, [...path, 'auxAddresses', host], ctx);
  const out: IpamEntry = {};
  if (entry.subnet !== undefined) out.subnet = entry.subnet;
  if (entry.gateway !== undefined) out.gateway = entry.gateway;
  if (entry.ipRange !== undefined) out.ipRange = entry.ipRange;
  if (entry.auxAddresses !== undefined && Object.keys(entry.auxAddresses).length > 0)
    out.auxAddresses = Object.fromEntries(
      Object.entries(entry.auxAddresses).sort(([a], [b]) => a.localeCompare(b)),
    );
  return out;
}

/** `unknown`: the subnet itself is wrong (reported already); undefined: none written. */
type Inside = ParsedCIDR | 'unknown' | undefined;

function checkAddress(
  written: string,
  subnet: Inside,
  subnetText: string | undefined,
  at: Path,
  ctx: NormaliseContext,
): void {
  const ip = parseIP(written);
  if (!ip) ctx.report('E_CIDR', at, `"${written}" is not an IP address`);
  else if (subnet === undefined) ctx.report('E_CIDR', at, 'needs a subnet beside it');
  else if (subnet !== 'unknown' && !cidrContains(subnet, ip))
    ctx.report('E_CIDR', at, `${written} is not inside the subnet ${subnetText}`);
}

/** `ipRange`: a CIDR that lies wholly inside the subnet (same family, no shorter prefix). */
function checkRange(
  written: string,
  subnet: Inside,
  subnetText: string | undefined,
  path: Path,
  ctx: NormaliseContext,
): void {
  const at = [...path, 'ipRange'];
  const range = parseCIDR(written);
  if (typeof range === 'string') ctx.report('E_CIDR', at, range);
  else if (subnet === undefined) ctx.report('E_CIDR', at, 'needs a subnet beside it');
  else if (
    subnet !== 'unknown' &&
    (range.prefix < subnet.prefix || !cidrContains(subnet, range.ip))
  )
    ctx.report('E_CIDR', at, `${written} is not inside the subnet ${subnetText}`);
}
