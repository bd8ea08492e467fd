import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { cleanupProject, docker, uniqueProject } from '../support/docker.js';
import { TestRepo } from '../support/git-repo.js';
import { sleeperYaml } from '../support/manifests.js';

// Issue 15: containers carry `berth.apply` (the apply that created them) and `berth.commit`
// (the git commit of the source), neither part of the spec hash.
const project = uniqueProject('labels');
const repo = new TestRepo();
let stateHome = '';

afterAll(async () => {
  await cleanupProject(project);
  repo.remove();
  if (stateHome) await rm(stateHome, { recursive: true, force: true });
});

const labelsOf = async (name: string) =>
  JSON.parse(
    await docker('inspect', '-f', '{{json .Config.Labels}}', `${project}-${name}`),
  ) as Record<string, string>;
const idOf = (name: string) => docker('inspect', '-f', '{{.Id}}', `${project}-${name}`);

async function apply(): Promise<void> {
  const out = await berth(['apply', '-f', join(repo.dir, 'deploy'), '-p', project], {
    env: { XDG_STATE_HOME: stateHome },
  });
  expect(out.code, out.stderr + out.stdout).toBe(0);
}

async function historyIds(): Promise<{ id: string; commit?: string }[]> {
  const out = await berth(['history', '-p', project, '-o', 'json'], {
    env: { XDG_STATE_HOME: stateHome },
  });
  expect(out.code, out.stderr).toBe(0);
  type Line = { id: string; commit?: string };
  const parsed = JSON.parse(out.stdout) as Line[] | { items: Line[] };
  return Array.isArray(parsed) ? parsed : parsed.items;
}

describe('berth.apply and berth.commit labels on the real engine', () => {
  it('stamps the apply id and commit on created containers; a new commit that changes nothing recreates nothing', async () => {
    stateHome = await mkdtemp(join(tmpdir(), 'berth-labels-state-'));
    const first = repo.commit('first', { 'deploy/web.yaml': sleeperYaml('web') });
    await apply();
    const [applied] = await historyIds();
    const labels = await labelsOf('web');
    expect(labels['berth.apply']).toBe(applied?.id);
    expect(labels['berth.commit']).toBe(first);
    expect(applied?.commit).toBe(first);
    const id = await idOf('web');

    // A commit that leaves the container's declaration alone: same container, same labels.
    const second = repo.commit('docs only', { 'deploy/README.md': 'notes\n' });
    await apply();
    expect(await idOf('web')).toBe(id);
    expect((await labelsOf('web'))['berth.commit']).toBe(first);
    expect((await historyIds())[0]?.commit).toBe(second);

    // A commit that changes it: the new container carries the new apply and commit.
    const third = repo.commit('env', {
      'deploy/web.yaml': sleeperYaml('web', '  env: {MODE: two}\n  update: {minReady: 0s}\n'),
    });
    await apply();
    const [latest] = await historyIds();
    expect(await idOf('web')).not.toBe(id);
    expect(await labelsOf('web')).toMatchObject({
      'berth.apply': latest?.id,
      'berth.commit': third,
    });
  });
});
