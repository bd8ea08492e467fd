import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueProject } from '../support/docker.js';
import { TestRepo } from '../support/git-repo.js';
import {
  eventually,
  spawnGitWatch,
  tearDownWatch,
  waitForApi,
  type WatchProcess,
} from './watch-support.js';

/**
 * F33 leftovers, `berth watch --git` started without a webhook secret: the webhook route says
 * what it needs instead of "no git source", and the "watching" log line names the repository
 * and its path, not the folder watch was started in. The repository declares only a BindMount,
 * so the engine gets no object.
 */

const project = uniqueProject('gitplain');
let repo: TestRepo;
let stateHome: string;
let startedIn: string;
let watch: WatchProcess | undefined;

beforeAll(async () => {
  repo = new TestRepo();
  stateHome = await mkdtemp(join(tmpdir(), 'berth-gitplain-state-'));
  startedIn = await mkdtemp(join(tmpdir(), 'berth-gitplain-cwd-'));
  repo.commit('first', {
    'deploy/cache.yaml':
      'apiVersion: berth/v1\nkind: BindMount\nmetadata: {name: cache}\nspec: {hostPath: ./cache}\n',
  });
  watch = await spawnGitWatch(repo.dir, project, startedIn, {
    XDG_STATE_HOME: stateHome,
    BERTH_WEBHOOK_SECRET: '',
  });
  await waitForApi(watch);
}, 60_000);

afterAll(async () => {
  await tearDownWatch(watch, project, stateHome, startedIn);
  repo?.remove();
});

describe('berth watch --git without a webhook secret', () => {
  it('answers the webhook with 404 naming the flag and the variable it needs', async () => {
    const r = await fetch(`${watch!.api}/api/v1/webhook`, { method: 'POST', body: '{}' });
    expect(r.status).toBe(404);
    const { error } = (await r.json()) as { error: string };
    expect(error).not.toMatch(/no git source/);
    expect(error).toMatch(/--webhook-secret/);
    expect(error).toMatch(/BERTH_WEBHOOK_SECRET/);
  });

  it('logs the repository and path it watches, not the folder it was started in', async () => {
    const logged = await eventually(async () => /"msg":"watching"/.test(watch!.stderr()), 10_000);
    expect(logged, watch!.stderr()).toBe(true);
    const line = watch!
      .stderr()
      .split('\n')
      .find((l) => l.includes('"msg":"watching"'))!;
    const fields = JSON.parse(line) as Record<string, unknown>;
    expect(fields).toMatchObject({ git: `file://${repo.dir}`, ref: 'HEAD', path: 'deploy' });
    expect(fields).not.toHaveProperty('dir');
  });
});
