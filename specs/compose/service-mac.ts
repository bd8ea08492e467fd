import type { ServiceWork } from './service-work.js';
import { networkObject } from './shared.js';
import { lose } from './state.js';
import { text } from './values.js';

/**
 * Compose's service-level `mac_address` is the MAC of the container's network interface:
 * docker compose sends it as `Config.MacAddress` (engine API < 1.44), which the engine gives
 * the first network, or on the primary network's endpoint (newer APIs). berth says it on the
 * attachment (`networks[].macAddress`; its Docker adapter sends the first attachment's the same
 * way). Carried when the container joins exactly one network, its own or the project's
 * default (made explicit here); with several networks, or a network mode, which interface gets
 * it is not certain, and it stays a loss naming the field to use. Runs after finishNetworks.
 */
export function carryMacAddress(w: ServiceWork): void {
  const value = w.svc.mac_address;
  if (value === undefined || value === null) return;
  const mac = text(value);
  const loss = (why: string) =>
    lose(w.state, w.svc, 'mac_address', `services.${w.service}.mac_address`, why);
  if (w.spec.networkMode !== undefined)
    return loss(
      `with network_mode ${text(w.spec.networkMode)} berth has no network attachment to give it`,
    );
  w.spec.networks ??= [{ network: networkObject(w.state, 'default') }];
  const attachments = w.spec.networks as Record<string, unknown>[];
  if (attachments.length !== 1)
    return loss(
      'the service joins several networks: set mac_address under the network it is for ' +
        '(berth: macAddress on that attachment)',
    );
  const [only] = attachments as [Record<string, unknown>];
  if (only.macAddress !== undefined && text(only.macAddress).toLowerCase() !== mac.toLowerCase())
    return loss(`conflicts with the network's own mac_address ${text(only.macAddress)}`);
  only.macAddress = mac;
}
