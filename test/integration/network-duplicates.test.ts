import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupProject, docker, uniqueProject } from '../support/docker.js';
import { ENGINE_SOCKET } from '../support/engine.js';
import { sleeperYaml } from '../support/manifests.js';
import { berth } from './status-cli-support.js';

/**
 * Issue 19 item 7: applies of one project at once must never leave two networks of one
 * name, and duplicates found on the engine are reported, cleaned up and deleted.
 */

const ROOT = new URL('../../', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'berth-netdup-'));
const project = uniqueProject('netdup');
const dir = join(work, 'app');
mkdirSync(dir);
writeFileSync(
  join(dir, 'app.yaml'),
  [
    'apiVersion: berth/v1\nkind: Network\nmetadata: {name: net}\n',
    'apiVersion: berth/v1\nkind: Volume\nmetadata: {name: data}\nspec: {retain: false}\n',
    sleeperYaml('a', '  networks: [net]\n  mounts: [{volume: data, target: /data}]\n'),
    sleeperYaml('b', '  networks: [net]\n'),
  ].join('---\n'),
);

afterAll(async () => {
  await cleanupProject(project);
  rmSync(work, { recursive: true, force: true });
});

/** The built CLI (test set-up builds dist/), as a separate process with its own state folder. */
function applyProcess(stateHome: string): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(
    process.execPath,
    [join(ROOT, 'bin/berth.mjs'), 'apply', '-f', dir, '-p', project],
    {
      env: { ...process.env, XDG_STATE_HOME: stateHome, BERTH_LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stderr })));
}

const networkIds = async () =>
  (await docker('network', 'ls', '-q', '--filter', `label=berth.project=${project}`))
    .split('\n')
    .filter(Boolean);

/** Creates a network through the API without CheckDuplicate, labelled as berth labels its own. */
function createDuplicate(specHash: string): Promise<void> {
  const body = JSON.stringify({
    Name: `${project}-net`,
    Labels: {
      'berth.project': project,
      'berth.kind': 'Network',
      'berth.name': 'net',
      'berth.spec-hash': specHash,
    },
  });
  return new Promise((resolve, reject) => {
    const req = request(
      {
        socketPath: ENGINE_SOCKET,
        path: '/v1.41/networks/create',
        method: 'POST',
        headers: { 'content-type': 'application/json' },
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          (res.statusCode ?? 0) < 300 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`)),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('one network per name', () => {
  it('three concurrent applies of one project, 15 rounds: never two networks of one name', async () => {
    for (let round = 0; round < 15; round++) {
      // Separate state folders: the project lock is not what keeps the networks apart here.
      const runs = await Promise.all(
        [0, 1, 2].map((i) => applyProcess(join(work, `state-${round}-${i}`))),
      );
      const ids = await networkIds();
      expect(ids, `round ${round}:\n${runs.map((r) => r.stderr).join('\n')}`).toHaveLength(1);
      for (const r of runs) expect(r.stderr).not.toMatch(/ambiguous/);
      if (round % 5 === 4) {
        const del = await berth(join(work, 'state-del'), work, 'delete', '-f', dir, '-p', project);
        expect(del.code, del.stdout + del.stderr).toBe(0);
        expect(await networkIds()).toEqual([]);
      }
    }
    const last = await berth(join(work, 'state-last'), work, 'apply', '-f', dir, '-p', project);
    expect(last.code, last.stdout + last.stderr).toBe(0);
  }, 400_000);

  it('a duplicate found on the engine is reported by status, removed by apply, and delete removes all', async () => {
    const stateHome = join(work, 'state-found');
    expect((await berth(stateHome, work, 'apply', '-f', dir, '-p', project)).code).toBe(0);
    const [kept] = await networkIds();
    const hash = await docker(
      'network',
      'inspect',
      '-f',
      '{{index .Labels "berth.spec-hash"}}',
      kept as string,
    );
    await createDuplicate(hash);
    expect(await networkIds()).toHaveLength(2);

    const status = await berth(stateHome, work, 'status', '-p', project);
    expect(status.code).toBe(3);
    expect(status.stdout).toMatch(new RegExp(`duplicate network ${project}-net`));

    const apply = await berth(stateHome, work, 'apply', '-f', dir, '-p', project);
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    expect(await networkIds()).toEqual([kept]);

    await createDuplicate(hash);
    const del = await berth(stateHome, work, 'delete', '-f', dir, '-p', project);
    expect(del.code, del.stdout + del.stderr).toBe(0);
    expect(await networkIds()).toEqual([]);
  });
});
