import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import {
  cleanupProject,
  docker,
  projectContainerStates,
  TEST_IMAGE,
  uniqueProject,
} from '../support/docker.js';
import { recordEvents } from '../support/engine-events.js';
import { spawnBerth } from './watch-support.js';

/**
 * Issue 14: `berth apply` killed with SIGKILL at random steps of an update (start-first and
 * stop-first), then applied again: the update is finished or undone, exactly one container
 * answers to the name, no `-next`/`-prev` is left and the container beside it is never touched.
 * The kill follows an engine event of the update chosen at random, plus a random delay.
 */

const project = uniqueProject('updkill');
const state = mkdtempSync(join(tmpdir(), 'berth-updkill-'));
const env = { XDG_STATE_HOME: state };

function manifest(version: number, order: string): string {
  return `apiVersion: berth/v1
kind: Container
metadata: {name: web}
spec:
  image: ${TEST_IMAGE}
  init: true
  command: [sleep, "600"]
  env: {V: "${version}"}
  update: {order: ${order}, minReady: 1s}
---
apiVersion: berth/v1
kind: Container
metadata: {name: other}
spec:
  image: ${TEST_IMAGE}
  init: true
  command: [sleep, "600"]
`;
}

/** Engine events of an update's steps (create, start, stop, rename, remove). */
const UPDATE_ACTIONS = ['create', 'start', 'die', 'rename', 'destroy'];

/** Resolves at the `nth` engine event of the project whose action is one of `actions`. */
function nthEvent(nth: number, actions: string[]): { seen: Promise<string>; stop: () => void } {
  let count = 0;
  let found: (line: string) => void = () => undefined;
  const seen = new Promise<string>((resolve) => (found = resolve));
  const recording = recordEvents(project, (event) => {
    if (actions.includes(event.action) && ++count === nth) found(`${event.action} ${event.name}`);
  });
  return { seen, stop: () => void recording.stop() };
}

const names = () => projectContainerStates(project);

afterAll(async () => {
  await cleanupProject(project);
  rmSync(state, { recursive: true, force: true });
});

describe('berth killed during an update (real engine)', () => {
  it('after SIGKILL at random update steps, the next apply leaves one container per name and no leftovers', async () => {
    const file = join(state, 'set.yaml');
    const apply = (version: number, order: string) => {
      writeFileSync(file, manifest(version, order));
      return berth(['apply', '-f', file, '-p', project, '--timeout', '60s'], { env });
    };
    expect((await apply(1, 'start-first')).code).toBe(0);
    const otherId = await docker('inspect', '-f', '{{.Id}}', `${project}-other`);
    const killedAt: string[] = [];
    for (let version = 2; version <= 5; version++) {
      const order = version % 2 === 0 ? 'start-first' : 'stop-first';
      writeFileSync(file, manifest(version, order));
      const events = nthEvent(1 + Math.floor(Math.random() * 3), UPDATE_ACTIONS);
      const run = spawnBerth(['apply', '-f', file, '-p', project], env);
      const at = await Promise.race([events.seen, run.exited.then(() => 'finished')]);
      await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 300)));
      run.child.kill('SIGKILL');
      await run.exited;
      events.stop();
      killedAt.push(`${order} v${version}: ${at}`);

      const again = await apply(version, order);
      expect(again.code, `${killedAt.join('; ')}\n${again.stdout}${again.stderr}`).toBe(0);
      expect(await names(), killedAt.join('; ')).toEqual([
        `${project}-other running`,
        `${project}-web running`,
      ]);
      expect(await docker('inspect', '-f', '{{json .Config.Env}}', `${project}-web`)).toContain(
        `V=${version}`,
      );
      expect(await docker('inspect', '-f', '{{.Id}}', `${project}-other`)).toBe(otherId);
    }
    // The kills landed inside updates, not after berth had finished.
    expect(
      killedAt.filter((k) => k.endsWith('finished')),
      killedAt.join('; '),
    ).toEqual([]);
  });
});
