import { containersNamed, engineCall, mapLimit } from './engine-http.js';
import { removeNetworkWithRetry } from './raw-driver.js';

/** Every engine object the bench creates has a name starting with this. */
export const BENCH_PREFIX = 'bench-';

/**
 * Removes every container and network whose name starts with `prefix` (default: all of the
 * bench's). Used between runs and at exit; never measured. Containers are stopped with `t=0`
 * (killed at once, no stop grace) one at a time, and all before any is removed: concurrent
 * stops and removes left stale endpoints on this engine (moby#42119) — a network that says
 * "has active endpoints" with none listed, until the daemon restarts — and cost a full run
 * two scenarios in session 7 and again in session 8 (the raw driver's measured delete, which
 * stops then removes 8 at a time, is unchanged).
 */
export async function cleanupBench(prefix: string = BENCH_PREFIX): Promise<number> {
  if (!prefix.startsWith(BENCH_PREFIX))
    throw new Error(`refusing to clean up outside ${BENCH_PREFIX}*: ${prefix}`);
  const containers = await containersNamed(prefix);
  await mapLimit(containers, 1, (c) =>
    engineCall('POST', `/containers/${c.Id}/stop?t=0`).catch(() => undefined),
  );
  await mapLimit(containers, 8, (c) =>
    engineCall('DELETE', `/containers/${c.Id}?force=1&v=1`).catch(() => undefined),
  );
  const filters = encodeURIComponent(JSON.stringify({ name: [prefix] }));
  const networks = JSON.parse(await engineCall('GET', `/networks?filters=${filters}`)) as {
    Name: string;
  }[];
  // Every network is tried even when one cannot go (a stale endpoint needs a daemon restart):
  // stopping at the first left the others behind at the end of a run.
  const failed: string[] = [];
  for (const n of networks.filter((x) => x.Name.startsWith(prefix)))
    await removeNetworkWithRetry(n.Name).catch((e: unknown) =>
      failed.push(e instanceof Error ? e.message : String(e)),
    );
  if (failed.length) throw new Error(failed.join('; '));
  return containers.length + networks.length;
}
