import { ComposeInputError, whereKey } from './located.js';
import type { Where } from './located.js';

/**
 * A service's `networks:` list that names one network twice: the Compose schema refuses it
 * (its items must be unique), where the list read as a mapping kept one attachment (F461).
 * Called on the service as written, before its lists become mappings.
 */
export function checkNetworkList(svc: Record<string, unknown>, name: string, at: Where): void {
  const list = svc.networks;
  if (!Array.isArray(list)) return;
  const first = new Map<string, number>();
  list.forEach((item, i) => {
    const network = String(item);
    const earlier = first.get(network);
    if (earlier === undefined) {
      first.set(network, i);
      return;
    }
    const line = whereKey(list, earlier)?.line;
    throw new ComposeInputError(
      whereKey(list, i) ?? at,
      `services.${name}.networks[${i}]: ${network} is already listed by services.${name}.networks[${earlier}]${line ? ` (line ${line})` : ''}; Compose refuses a network listed twice`,
      'E_DUPLICATE_NETWORK',
    );
  });
}
