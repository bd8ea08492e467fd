import type { NetworkAttachment } from '../model.js';
import type * as Raw from '../types.generated.js';
import { parseIP } from '../validate/values.js';
import type { NormaliseContext } from './context.js';

/**
 * `spec.networks`: names or attachments; aliases sorted and unique, addresses checked for
 * their family, MACs lower-cased. Kept in written order, so problems found later point at
 * the right entry; the create request orders them by `priority`.
 */
export function normaliseNetworkAttachments(
  raw: Raw.ContainerSpec['networks'],
  ctx: NormaliseContext,
): NetworkAttachment[] {
  return (raw ?? []).map((entry, index) => attachment(entry, index, ctx));
}

function attachment(
  entry: string | Raw.NetworkAttachment,
  index: number,
  ctx: NormaliseContext,
): NetworkAttachment {
  if (typeof entry === 'string') return { network: entry, aliases: [] };
  const out: NetworkAttachment = {
    network: entry.network,
    aliases: [...new Set(entry.aliases ?? [])].sort(),
  };
  const at = (field: string): (string | number)[] => ['spec', 'networks', index, field];
  for (const [field, bits] of [
    ['ipv4Address', 32],
    ['ipv6Address', 128],
  ] as const) {
    const written = entry[field];
    if (written === undefined) continue;
    if (parseIP(written)?.bits === bits) out[field] = written;
    else
      ctx.report(
        'E_ADDRESS',
        at(field),
        `"${written}" is not an IPv${bits === 32 ? 4 : 6} address`,
      );
  }
  if (entry.macAddress !== undefined) out.macAddress = entry.macAddress.toLowerCase();
  if (entry.priority) out.priority = entry.priority;
  return out;
}
