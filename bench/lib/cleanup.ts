import { containersNamed, engineCall, mapLimit } from './engine-http.js';
import { removeNetworkWithRetry } from './raw-driver.js';

/** Every engine object the bench creates has a name starting with this. */
export const BENCH_PREFIX = 'bench-';

/**
 * Force-removes every container and network whose name starts with `prefix` (default: all
 * of the bench's). Used between runs and at exit; never measured. Force-remove kills, so it
 * does not wait out a stop grace.
 */
export async function cleanupBench(prefix: string = BENCH_PREFIX): Promise<number> {
  if (!prefix.startsWith(BENCH_PREFIX))
    throw new Error(`refusing to clean up outside ${BENCH_PREFIX}*: ${prefix}`);
  const containers = await containersNamed(prefix);
  await mapLimit(containers, 8, (c) =>
    engineCall('DELETE', `/containers/${c.Id}?force=1&v=1`).catch(() => undefined),
  );
  const filters = encodeURIComponent(JSON.stringify({ name: [prefix] }));
  const networks = JSON.parse(await engineCall('GET', `/networks?filters=${filters}`)) as {
    Name: string;
  }[];
  for (const n of networks.filter((x) => x.Name.startsWith(prefix)))
    await removeNetworkWithRetry(n.Name);
  return containers.length + networks.length;
}
