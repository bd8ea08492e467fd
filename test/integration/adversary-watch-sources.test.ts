import { rmSync } from 'node:fs';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { cleanupProject, freePort } from '../support/docker.js';
import { berth } from './status-cli-support.js';
import { eventually, spawnBerth, stateOf, waitForApi, type WatchProcess } from './watch-support.js';
import { twoFoldersOneProject } from '../support/two-folders.js';

/**
 * Issue 19 item 10 under `berth watch`: `one/shop` and `two/shop` both default to project
 * `shop`. A watch of `one/shop` prunes (always), but must not delete what `two/shop`
 * applied (its `berth.source`) unless started with `--force`, as `apply --prune` refuses.
 */

const { work, stateHome, project, one, two } = twoFoldersOneProject('advsrc');

let watch: WatchProcess | undefined;

async function startWatch(...extra: string[]): Promise<WatchProcess> {
  const port = await freePort();
  const w = spawnBerth(
    ['watch', one, '--listen', `127.0.0.1:${port}`, '--resync', '1s', ...extra],
    {
      XDG_STATE_HOME: stateHome,
    },
  );
  await waitForApi(w);
  return w;
}

async function resyncs(w: WatchProcess): Promise<number> {
  const text = await (await fetch(`${w.api}/metrics`)).text();
  return Number(/^berth_resyncs_total (\d+)/m.exec(text)?.[1] ?? 0);
}

async function stopWatch(): Promise<void> {
  if (!watch) return;
  watch.child.kill('SIGTERM');
  await watch.exited;
  watch = undefined;
}

afterEach(stopWatch);

afterAll(async () => {
  await stopWatch();
  await cleanupProject(project);
  rmSync(work, { recursive: true, force: true });
});

describe('berth watch of one folder of a project that two folders apply', () => {
  it('does not prune what the other folder applied; --force does', async () => {
    const applied = await berth(stateHome, work, 'apply', '-f', two);
    expect(applied.code, applied.stderr).toBe(0);
    expect(await stateOf(`${project}-db`)).toBe('running');

    watch = await startWatch();
    const w = watch;
    const settled = await eventually(
      async () => (await stateOf(`${project}-web`)) === 'running' && (await resyncs(w)) >= 4,
      60_000,
      200,
    );
    expect(settled, w.stderr()).toBe(true);
    expect(await stateOf(`${project}-db`)).toBe('running');
    expect(w.stderr()).toContain(
      `not pruning Container/db: applied from ${two}, another folder of project ${project}`,
    );
    await stopWatch();

    watch = await startWatch('--force');
    const gone = await eventually(
      async () => (await stateOf(`${project}-db`)) === 'absent',
      60_000,
      200,
    );
    expect(gone, watch.stderr()).toBe(true);
    expect(await stateOf(`${project}-web`)).toBe('running');
  });
});
