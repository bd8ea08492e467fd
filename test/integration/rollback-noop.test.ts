import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { cleanupProject, envValue, uniqueProject } from '../support/docker.js';
import { sleeperYaml } from '../support/manifests.js';

/**
 * F275: applies that change nothing (a CI job applying on every push, each `watch` start) took
 * one rollback slot each, until `berth rollback` had nothing to go back to. They are folded
 * into the apply whose set they repeat.
 */
const project = uniqueProject('rbnoop');
let stateHome: string;
const env = () => ({ XDG_STATE_HOME: stateHome });
const apply = (mode: string) =>
  berth(['apply', '-f', '-', '-p', project], {
    stdin: sleeperYaml('app', `  env: {MODE: ${mode}}\n`),
    env: env(),
  });

beforeAll(async () => {
  stateHome = await mkdtemp(join(tmpdir(), 'berth-rbnoop-state-'));
});
afterAll(async () => {
  await cleanupProject(project);
  await rm(stateHome, { recursive: true, force: true });
});

describe('applies that change nothing', () => {
  it('take no rollback slot: after A, B and 12 re-applies of B, rollback goes to A', async () => {
    expect((await apply('a')).code).toBe(0);
    expect((await apply('b')).code).toBe(0);
    for (let i = 0; i < 12; i++) expect((await apply('b')).code).toBe(0);
    const history = JSON.parse(
      (await berth(['history', '-p', project, '-o', 'json'], { env: env() })).stdout,
    ) as { message: string | null }[];
    expect(history).toHaveLength(2);
    expect(history[0]!.message).toMatch(/^applied again 12× with no change, last at /);

    const back = await berth(['rollback', '-p', project], { env: env() });
    expect(back.code, back.stderr + back.stdout).toBe(0);
    expect(await envValue(`${project}-app`, 'MODE')).toBe('a');
  }, 180_000);
});
