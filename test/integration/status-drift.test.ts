import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordApply } from '../../controller/records/records.js';
import { containerObject } from '../../controller/status/testing/fixtures.js';
import { outputSchemaErrors } from '../../controller/status/testing/output-schemas.js';
import type { ProjectStatus } from '../../controller/status/status-types.js';
import { TEST_IMAGE, cleanupProject, docker, uniqueProject } from '../support/docker.js';
import { berth } from './status-cli-support.js';

// Objects are made with the docker CLI, as `berth apply` would label them; the record is
// written with the store. (To be switched to a real `berth apply` once it exists.)
const project = uniqueProject('status');
const names = ['web', 'api'] as const;
let stateHome: string;

async function runContainer(name: string, labelled = true): Promise<void> {
  const labels = labelled
    ? [
        'berth.project=' + project,
        'berth.kind=Container',
        'berth.name=' + name,
        `berth.spec-hash=hash-${name}`,
      ].flatMap((l) => ['--label', l])
    : [];
  await docker(
    'run',
    '-d',
    ...labels,
    '--name',
    `${project}-${name}`,
    TEST_IMAGE,
    'sh',
    '-c',
    "trap 'exit 0' TERM; sleep 3600 & wait",
  );
}

async function status(): Promise<{ code: number; json: ProjectStatus; text: string }> {
  const asJson = await cli('status', '-o', 'json');
  expect(outputSchemaErrors('status', JSON.parse(asJson.stdout))).toEqual([]);
  const asText = await cli('status');
  expect(asText.code).toBe(asJson.code);
  return {
    code: asJson.code,
    json: JSON.parse(asJson.stdout) as ProjectStatus,
    text: asText.stdout,
  };
}

const cli = (...args: string[]) => berth(stateHome, stateHome, ...args, '-p', project);
const web = (s: ProjectStatus) => s.objects.find((o) => o.key === 'Container/web')!;

beforeAll(async () => {
  stateHome = await mkdtemp(join(tmpdir(), 'berth-status-'));
  for (const name of names) await runContainer(name);
  await recordApply(join(stateHome, 'berth'), project, {
    time: Date.now(),
    sources: [stateHome],
    outcome: 'converged',
    counts: { created: 2, changed: 0, deleted: 0, unchanged: 0, failed: 0 },
    durationMs: 900,
    objects: names.map((n) => containerObject(n)),
  });
});

afterAll(async () => {
  await docker('rm', '-f', `${project}-web`).catch(() => undefined);
  await cleanupProject(project);
  await rm(stateHome, { recursive: true, force: true });
});

describe('status against the real engine', () => {
  it('is in sync after an apply', async () => {
    const s = await status();
    expect(s.code).toBe(0);
    expect(s.json).toMatchObject({
      inSync: true,
      missing: [],
      conflicts: [],
      desiredSource: 'last-applied',
    });
    expect(s.text).toMatch(/In sync:\s+yes \(2 objects\)/);
  });

  it('get lists objects; an unknown name exits 1', async () => {
    const table = await cli('get');
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^NAME\s+KIND\s+DESIRED\s+ACTUAL\s+READY\s+RESTARTS\s+AGE\n/);
    expect(table.stdout).toMatch(/\nweb\s+Container\s+running\s+running\s+yes\s/);
    const json = await cli('get', 'containers', '-o', 'json');
    expect(outputSchemaErrors('get', JSON.parse(json.stdout))).toEqual([]);
    expect((JSON.parse(json.stdout) as { items: unknown[] }).items).toHaveLength(2);
    expect((await cli('get', 'ctr/nope')).code).toBe(1);
    const all = await berth(stateHome, stateHome, 'get', '--all-projects', '-o', 'json');
    expect(all.code).toBe(0);
    expect(
      JSON.parse(all.stdout).items.filter((o: { project: string }) => o.project === project),
    ).toHaveLength(2);
  });

  it('describe shows one object with the engine events; unknown exits 1', async () => {
    const text = await cli('describe', 'container/web');
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`Engine name: ${project}-web`);
    expect(text.stdout).toMatch(/Events:\n[\s\S]*engine\s+start\s+container/);
    const json = await cli('describe', 'Container/web', '-o', 'json');
    expect(outputSchemaErrors('describe', JSON.parse(json.stdout))).toEqual([]);
    expect(JSON.parse(json.stdout).status.restartCount).toBe(0);
    expect((await cli('describe', 'container/nope')).code).toBe(1);
  });

  it('a container stopped by hand is out of sync', async () => {
    await docker('stop', `${project}-web`);
    const s = await status();
    expect(s.code).toBe(3);
    expect(web(s.json)).toMatchObject({
      observed: 'exited',
      inSync: false,
      reason: expect.stringMatching(/stopped or died outside berth/),
    });
    await docker('start', `${project}-web`);
    expect((await status()).code).toBe(0);
  });

  it('a container paused by hand is out of sync', async () => {
    await docker('pause', `${project}-web`);
    const s = await status();
    expect(s.code).toBe(3);
    expect(web(s.json)).toMatchObject({ observed: 'paused', reason: 'paused outside berth' });
    expect(s.text).toMatch(/Container\/web\s+running\s+paused\s+no\s+paused outside berth/);
    await docker('unpause', `${project}-web`);
  });

  it('a container removed by hand is missing', async () => {
    await docker('rm', '-f', `${project}-web`);
    const s = await status();
    expect(s.code).toBe(3);
    expect(s.json.missing).toEqual(['Container/web']);
    expect(web(s.json)).toMatchObject({ observed: 'absent', reason: 'not created yet' });
  });

  it('a same-named container without labels is a conflict', async () => {
    await runContainer('web', false);
    const s = await status();
    expect(s.code).toBe(3);
    expect(s.json.conflicts).toEqual([
      expect.objectContaining({ key: 'Container/web', engineName: `${project}-web` }),
    ]);
    expect(web(s.json).conflict).toMatch(/does not own/);
    expect(s.text).toMatch(/Conflict:\s+Container\/web/);
  });

  it('history lists the apply', async () => {
    const h = await cli('history', '-o', 'json');
    expect(h.code).toBe(0);
    expect(outputSchemaErrors('history', JSON.parse(h.stdout))).toEqual([]);
    expect(JSON.parse(h.stdout)).toHaveLength(1);
    const viaStatus = await cli('status', '--history');
    expect(viaStatus.stdout).toMatch(/converged\s+\+2 ~0 -0/);
  });

  it('without any record says so and exits 3', async () => {
    const other = await berth(stateHome, stateHome, 'status', '-p', `${project}-none`);
    expect(other.code).toBe(3);
    expect(other.stdout).toContain(`no apply recorded for project ${project}-none`);
  });
});
