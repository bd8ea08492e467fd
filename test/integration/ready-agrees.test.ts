import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ObjectStatus } from '../../controller/status/status-types.js';
import { berth } from '../support/cli.js';
import { cleanupProject, docker, uniqueProject } from '../support/docker.js';
import { sleeperYaml } from '../support/manifests.js';

/**
 * F270: with a declared network detached by hand, the READY column said `no`, `-o json`
 * `ready: true`, describe `Ready: yes` above a `Ready False` condition. Ready is "running, and
 * healthy where it has a healthcheck" (DESIGN.md) in every view; the drift shows as SYNC no.
 */
const project = uniqueProject('readyone');
let stateHome: string;
const env = () => ({ XDG_STATE_HOME: stateHome });

beforeAll(async () => {
  stateHome = await mkdtemp(join(tmpdir(), 'berth-readyone-state-'));
});
afterAll(async () => {
  await cleanupProject(project);
  await rm(stateHome, { recursive: true, force: true });
});

describe('a running container whose network was detached by hand', () => {
  it('is ready in the table, -o json, describe and its Ready condition alike; out of sync', async () => {
    const applied = await berth(['apply', '-f', '-', '-p', project], {
      stdin: sleeperYaml('web'),
      env: env(),
    });
    expect(applied.code, applied.stderr + applied.stdout).toBe(0);
    await docker('network', 'disconnect', `${project}-default`, `${project}-web`);

    const json = await berth(['get', 'container/web', '-o', 'json', '-p', project], { env: env() });
    const web = JSON.parse(json.stdout) as ObjectStatus;
    expect(web.inSync).toBe(false);
    expect(web.ready).toBe(true);
    expect(web.conditions.find((c) => c.type === 'Ready')?.status).toBe('True');

    const table = await berth(['get', 'container/web', '-p', project], { env: env() });
    const [header, row] = table.stdout.split('\n');
    const column = header!.split(/\s{2,}/).indexOf('READY');
    expect(row!.split(/\s{2,}/)[column], table.stdout).toBe('yes');

    const described = await berth(['describe', 'container/web', '-p', project], { env: env() });
    expect(described.stdout).toMatch(/^\s+Ready:\s+yes$/m);
    expect(described.stdout).toMatch(/^\s+Ready\s+True\s/m);
  }, 90_000);
});
