import { mkdtemp, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { freePort, uniqueProject } from '../support/docker.js';
import {
  containerYaml,
  eventually,
  spawnBerth,
  tearDownWatch,
  waitForApi,
  type WatchProcess,
} from './watch-support.js';

/**
 * F126: under watch, why an object keeps failing (its host port held by another program) was
 * only in the controller's log; status, get and the API said "not created yet". The
 * controller's last failure is the object's reason (Degraded ApplyFailed) until it converges.
 */
const project = uniqueProject('wreason');
let dir: string;
let stateHome: string;
let watch: WatchProcess | undefined;
let holder: Server | undefined;

afterAll(async () => {
  holder?.close();
  await tearDownWatch(watch, project, dir, stateHome);
});

describe('why an object fails under watch (F126)', () => {
  it('is its reason in the status API and in berth status', async () => {
    dir = await mkdtemp(join(tmpdir(), 'berth-wreason-'));
    stateHome = await mkdtemp(join(tmpdir(), 'berth-wreason-state-'));
    const port = await freePort();
    holder = createServer();
    await new Promise<void>((resolve) => holder!.listen(port, '127.0.0.1', resolve));
    await writeFile(
      join(dir, 'web.yaml'),
      containerYaml('web', `  ports: ["127.0.0.1:${port}:8080"]\n`),
    );
    watch = spawnBerth(['watch', dir, '-p', project, '--listen', `127.0.0.1:${await freePort()}`], {
      XDG_STATE_HOME: stateHome,
    });
    await waitForApi(watch);
    const reason = async () => {
      const status = (await (await fetch(`${watch!.api}/api/v1/status`)).json()) as {
        objects: { key: string; reason: string | null }[];
      };
      return status.objects.find((o) => o.key === 'Container/web')?.reason ?? '';
    };
    const named = async () => /reconcile failed at .*127\.0\.0\.1:\d+/.test(await reason());
    expect(await eventually(named, 60_000), `${await reason()}\n${watch.stderr()}`).toBe(true);
    const status = await berth(['status', '-p', project, '-o', 'json'], {
      env: { XDG_STATE_HOME: stateHome },
    });
    expect(status.code).toBe(3);
    expect(status.stdout).toContain('ApplyFailed');
    expect(status.stdout).toMatch(/reconcile failed at/);
  });
});
