import { afterAll, describe, expect, it } from 'vitest';
import { docker, TEST_IMAGE } from '../support/docker.js';
import { cliProject } from './cli-project-support.js';
import { berth } from './status-cli-support.js';

/**
 * `restartMaxRetries` (Compose `restart: on-failure:N`, F602): the engine restarts a failing
 * container N times and leaves it exited, and berth does not start it once more, in apply or
 * in a later apply (a start through the API would reset the engine's count and begin N more).
 */

const manifest = `apiVersion: berth/v1
kind: Container
metadata: {name: job}
spec:
  image: ${TEST_IMAGE}
  command: [sh, -c, "exit 1"]
  restartPolicy: OnFailure
  restartMaxRetries: 2
`;

const projects: ReturnType<typeof cliProject>[] = [];
afterAll(async () => {
  for (const p of projects) await p.cleanup();
});

async function inspected(name: string) {
  const text = await docker(
    'inspect',
    '-f',
    '{{json .State.Status}} {{.RestartCount}} {{json .State.StartedAt}} {{json .HostConfig.RestartPolicy}}',
    name,
  );
  const [status, count, startedAt, ...policy] = text.split(' ');
  return {
    status: JSON.parse(status ?? '""') as string,
    restartCount: Number(count),
    startedAt: JSON.parse(startedAt ?? '""') as string,
    policy: JSON.parse(policy.join(' ')) as unknown,
  };
}

describe('a container with restartMaxRetries 2 that exits 1', () => {
  it('ends exited after 2 engine restarts, and berth starts it no more', async () => {
    const p = cliProject('retries', manifest);
    projects.push(p);
    const { work, stateHome, project, dir } = p;
    const name = `${project}-job`;
    const applied = await berth(
      stateHome,
      work,
      'apply',
      '-f',
      dir,
      '-p',
      project,
      '--timeout',
      '30s',
    );
    // Failed as declared it may fail: not converged, and said so.
    expect(applied.code, applied.stdout + applied.stderr).not.toBe(0);
    let seen = await inspected(name);
    for (let i = 0; i < 50 && seen.status !== 'exited'; i++) {
      await new Promise((r) => setTimeout(r, 200));
      seen = await inspected(name);
    }
    expect(seen).toMatchObject({
      status: 'exited',
      restartCount: 2,
      policy: { Name: 'on-failure', MaximumRetryCount: 2 },
    });
    const plan = await berth(stateHome, work, 'plan', '-f', dir, '-p', project);
    expect(plan.stdout).toContain('restartMaxRetries 2 keeps it exited');
    expect(plan.stdout).not.toMatch(/\bstart\b.*job|job.*\bstart\b/);
    const again = await berth(
      stateHome,
      work,
      'apply',
      '-f',
      dir,
      '-p',
      project,
      '--timeout',
      '20s',
    );
    expect(again.stdout + again.stderr).toContain('restartMaxRetries 2 keeps it exited');
    expect(await inspected(name)).toEqual(seen);
  });
});
