import { containersNamed, engineCall, mapLimit } from './engine-http.js';
import { removeNetworkWithRetry } from './raw-driver.js';
import { sleep } from './proc.js';

/** Every engine object the bench creates has a name starting with this. */
export const BENCH_PREFIX = 'bench-';

/**
 * Waits (up to 10 s) until none of the containers named `prefix…` is running or restarting.
 * The session 8 full run still left two networks with a stale endpoint (moby#42119) with
 * stop-then-remove per container, 8 containers at a time (the bench's clean-up and the raw
 * driver's delete alike): the clean-up now stops one container at a time, and every stop ends
 * before any remove (it is never measured; the raw driver's delete, measured, is unchanged).
 */
async function settledAfterStop(prefix: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const left = (await containersNamed(prefix)).filter((c) => /running|restarting/.test(c.State));
    if (left.length === 0) return;
    await sleep(100);
  }
}

/**
 * Removes every container and network whose name starts with `prefix` (default: all of the
 * bench's). Used between runs and at exit; never measured. Containers are stopped with `t=0`
 * (killed at once, no stop grace) one at a time, and all before any is removed: concurrent
 * stops and removes left stale endpoints on this engine (moby#42119) — a network that says
 * "has active endpoints" with none listed, until the daemon restarts — and cost a full run
 * two scenarios in session 7 and again in session 8 (settledAfterStop).
 */
export async function cleanupBench(prefix: string = BENCH_PREFIX): Promise<number> {
  if (!prefix.startsWith(BENCH_PREFIX))
    throw new Error(`refusing to clean up outside ${BENCH_PREFIX}*: ${prefix}`);
  const containers = await containersNamed(prefix);
  await mapLimit(containers, 1, (c) =>
    engineCall('POST', `/containers/${c.Id}/stop?t=0`).catch(() => undefined),
  );
  await settledAfterStop(prefix);
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
