import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { berth } from '../support/cli.js';
import {
  cleanupProject,
  envValue,
  projectContainerNames,
  TEST_IMAGE,
  uniqueProject,
} from '../support/docker.js';
import { sleeperYaml } from '../support/manifests.js';

// The small untruths of F465 a script or a user meets first, on the real engine: exit codes,
// `-o json` of a refused apply, `down` in history (and `rollback` after it), a hint's path.
const project = uniqueProject('truths');
const root = mkdtempSync(join(tmpdir(), 'berth-truths-'));
// Named after the project: commands without -p in it take that name, as Compose does.
const dir = join(root, project);
const stateDir = mkdtempSync(join(tmpdir(), 'berth-truths-state-'));
const env = { XDG_STATE_HOME: stateDir };
const run = (args: string[]) => berth(args, { cwd: dir, env });
const never = `${project}-never`;

const webYaml = (version: string) =>
  sleeperYaml('web', `  env: {V: "${version}"}\n  update: {minReady: 0s}\n`);

// No init: with one, docker-init itself reports a missing command as 127 (F465 f was without).
const jobYaml = `apiVersion: berth/v1
kind: Container
metadata: {name: job}
spec:
  image: ${TEST_IMAGE}
  state: created
  command: ["true"]
`;

beforeAll(() => {
  mkdirSync(dir);
  writeFileSync(join(dir, 'web.yaml'), webYaml('1'));
  writeFileSync(join(dir, 'job.yaml'), jobYaml);
});

afterAll(async () => {
  await cleanupProject(project);
  rmSync(root, { recursive: true, force: true });
  rmSync(stateDir, { recursive: true, force: true });
});

describe('small truths of the CLI (F465)', () => {
  it('apply -o json|yaml of invalid input prints a document with the problems, exit 1', async () => {
    const bad = join(root, 'bad.yaml');
    writeFileSync(bad, sleeperYaml('Bad_Name'));
    const json = await run(['apply', '-f', bad, '-p', project, '-o', 'json']);
    expect(json.code).toBe(1);
    const doc = JSON.parse(json.stdout) as Record<string, unknown>;
    expect(doc).toMatchObject({
      project,
      ok: false,
      exitCode: 1,
      error: { code: 'E_MANIFEST' },
      problems: [{ file: bad, line: 3, code: 'E_NAME' }],
    });
    expect(json.stderr).toContain('nothing was changed');
    const yaml = await run(['apply', '-f', bad, '-p', project, '-o', 'yaml']);
    expect(yaml.code).toBe(1);
    expect(parse(yaml.stdout)).toEqual(doc);
    expect(await projectContainerNames(project)).toEqual([]);
  });

  it('logs of a project berth knows nothing of exits 1 naming it; of a known one, 0', async () => {
    const unknown = await run(['logs', '-p', never]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain(`no apply recorded for project ${never}`);
    const applied = await run(['apply']);
    expect(applied.code, applied.stderr).toBe(0);
    const known = await run(['logs']);
    expect(known.code, known.stderr).toBe(0);
  });

  it('run --entrypoint of a missing command exits 127, as docker run does', async () => {
    const oneOff = (entrypoint: string) =>
      run(['run', '--rm', '--no-deps', '--entrypoint', entrypoint, 'job']);
    const missing = await oneOff('/bin/nonexistent');
    expect(missing.code, missing.stderr).toBe(127);
    expect(missing.stderr).toContain('/bin/nonexistent');
    const notExecutable = await oneOff('/etc');
    expect(notExecutable.code, notExecutable.stderr).toBe(126);
    const names = [`${project}-job`, `${project}-web`];
    expect(await projectContainerNames(project)).toEqual(names);
  });

  it('down names this folder as `.`, not `./.`, in its hint', async () => {
    const down = await run(['down', '-p', never]);
    expect(down.code, down.stderr).toBe(0);
    expect(down.stdout).toContain(
      `hint: project ${project} was applied from .; berth down -p ${project} deletes it`,
    );
  });

  it('down is recorded in history, and rollback after it brings back what it removed', async () => {
    writeFileSync(join(dir, 'web.yaml'), webYaml('2'));
    expect((await run(['apply'])).code).toBe(0);
    expect(await envValue(`${project}-web`, 'V')).toBe('2');
    const down = await run(['down']);
    expect(down.code, down.stdout + down.stderr).toBe(0);
    const history = JSON.parse((await run(['history', '-o', 'json'])).stdout) as {
      message: string | null;
      outcome: string;
      counts: { deleted: number };
    }[];
    expect(history[0]).toMatchObject({ message: 'down', outcome: 'converged' });
    expect(history[0]!.counts.deleted).toBeGreaterThanOrEqual(1);
    const back = await run(['rollback']);
    expect(back.code, back.stdout + back.stderr).toBe(0);
    expect(await envValue(`${project}-web`, 'V')).toBe('2');
  });
});
