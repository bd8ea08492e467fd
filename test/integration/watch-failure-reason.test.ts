import { createServer, type Server } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/docker.js';
import { containerYaml, eventually } from './watch-support.js';
import { watchFixture, type WatchFixture } from './watch-fixture.js';

/**
 * F126: under watch, why an object keeps failing (its host port held by another program) was
 * only in the controller's log; status, get and the API said "not created yet". The
 * controller's last failure is the object's reason (Degraded ApplyFailed) until it converges.
 */
let f: WatchFixture | undefined;
let holder: Server | undefined;

afterAll(async () => {
  holder?.close();
  await f?.tearDown();
});

describe('why an object fails under watch (F126)', () => {
  it('is its reason in the status API and in berth status', async () => {
    f = await watchFixture('wreason');
    const port = await freePort();
    holder = createServer();
    await new Promise<void>((resolve) => holder!.listen(port, '127.0.0.1', resolve));
    await f.write('web.yaml', containerYaml('web', `  ports: ["127.0.0.1:${port}:8080"]\n`));
    const watch = await f.startWatch();
    const reason = async () => {
      const status = (await (await fetch(`${watch.api}/api/v1/status`)).json()) as {
        objects: { key: string; reason: string | null }[];
      };
      return status.objects.find((o) => o.key === 'Container/web')?.reason ?? '';
    };
    const named = async () => /reconcile failed at .*127\.0\.0\.1:\d+/.test(await reason());
    expect(await eventually(named, 60_000), `${await reason()}\n${watch.stderr()}`).toBe(true);
    const status = await f.run(['status', '-o', 'json']);
    expect(status.code).toBe(3);
    expect(status.stdout).toContain('ApplyFailed');
    expect(status.stdout).toMatch(/reconcile failed at/);
  });
});
