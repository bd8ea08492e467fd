import { isRecord } from './located.js';
import { stringLabels } from './shared.js';
import { text, wholeNumber } from './values.js';

const KEYS = new Set(['capabilities', 'count', 'device_ids', 'driver', 'options']);

/**
 * Compose's GPU requests → berth's `gpus`: the service's `gpus:` (`all`, or a list of device
 * requests) and `deploy.resources.reservations.devices` (a list of device requests, each with
 * `capabilities`, and `count`, `device_ids`, `driver`, `options`). One request of the `gpu`
 * capability alone and no driver or options keeps the short forms (`all`, a count, device
 * ids); any other single request becomes the long form. Undefined when it cannot be carried:
 * more than one request (berth sends one DeviceRequest), an unknown key, or a count that is
 * not a whole number (a variable among them: the schema wants a number).
 */
export function gpuRequest(value: unknown): unknown {
  if (value === 'all' || (typeof value === 'number' && Number.isInteger(value) && value > 0))
    return value;
  if (!Array.isArray(value) || value.length !== 1 || !isRecord(value[0])) return undefined;
  const d = value[0];
  if (Object.keys(d).some((k) => !KEYS.has(k))) return undefined;
  const capabilities = Array.isArray(d.capabilities) ? d.capabilities.map(text) : [];
  const deviceIds = Array.isArray(d.device_ids) ? d.device_ids.map(text) : undefined;
  let count: 'all' | number | undefined;
  if (d.count === undefined || d.count === 'all') count = deviceIds ? undefined : 'all';
  else {
    const n = wholeNumber(d.count);
    if (typeof n !== 'number' || n < 1 || deviceIds) return undefined;
    count = n;
  }
  const driver = d.driver === undefined ? undefined : text(d.driver);
  const options = stringLabels(d.options);
  const onlyGpu =
    capabilities.length === 0 || (capabilities.length === 1 && capabilities[0] === 'gpu');
  if (onlyGpu && driver === undefined && options === undefined) return deviceIds ?? count;
  return {
    ...(deviceIds ? { deviceIds } : { count }),
    ...(driver !== undefined && { driver }),
    ...(!onlyGpu && { capabilities: [...new Set(capabilities)] }),
    ...(options && { options }),
  };
}
