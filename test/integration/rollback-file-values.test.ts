import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { cleanupProject, docker, envValue, uniqueProject } from '../support/docker.js';
import { sleeperYaml } from '../support/manifests.js';

/**
 * `berth rollback` of a set whose container mounts a Secret (file) and a Config (inline):
 * history keeps only their digests, so the rollback reads the values again (new-user trial
 * F21: it failed with "the value of Config/… was not read in this run" and left the project
 * out of sync). A value whose source changed since is refused before any change. The rollback
 * runs as its own process, as a user's does: the in-process CLI would still hold the values
 * its earlier applies read.
 */
const project = uniqueProject('rbfv');
let dir: string;
let stateHome: string;
const env = () => ({ XDG_STATE_HOME: stateHome });
const engineName = `${project}-app`;

const manifests = (mode: string) =>
  sleeperYaml(
    'app',
    `  env: {MODE: ${mode}}
  mounts:
    - {secret: token, target: /run/secrets/token}
    - {config: conf, target: /etc/app.conf}
`,
  ) +
  `---
apiVersion: berth/v1
kind: Secret
metadata: {name: token}
spec: {file: ./token.txt}
---
apiVersion: berth/v1
kind: Config
metadata: {name: conf}
spec: {content: "workers 4"}
`;

const apply = async (mode: string) => {
  await writeFile(join(dir, 'app.yaml'), manifests(mode));
  return berth(['apply', '-f', dir, '-p', project], { env: env() });
};
const read = (path: string) => docker('exec', engineName, 'cat', path);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const rollback = (...args: string[]) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const argv = ['--import', 'tsx', 'controller/cli/main.ts', 'rollback', ...args, '-p', project];
    const options = { cwd: ROOT, env: { ...process.env, ...env(), BERTH_LOG_LEVEL: 'warn' } };
    execFile(process.execPath, argv, options, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'berth-rbfv-'));
  stateHome = await mkdtemp(join(tmpdir(), 'berth-rbfv-state-'));
  await writeFile(join(dir, 'token.txt'), 'first-token');
});
afterAll(async () => {
  await cleanupProject(project);
  await rm(dir, { recursive: true, force: true });
  await rm(stateHome, { recursive: true, force: true });
});

describe('berth rollback with secrets and configs', () => {
  it('rolls back a set with a secret and a config, re-reading their unchanged values', async () => {
    expect((await apply('one')).code).toBe(0);
    const second = await apply('two');
    expect(second.code, second.stderr).toBe(0);
    const back = await rollback();
    expect(back.code, back.stderr + back.stdout).toBe(0);
    expect(await envValue(engineName, 'MODE')).toBe('one');
    expect(await read('/run/secrets/token')).toBe('first-token');
    expect(await read('/etc/app.conf')).toBe('workers 4');
    const status = await berth(['status', '-p', project], { env: env() });
    expect(status.code, status.stdout).toBe(0);
  });

  it('refuses, changing nothing, when a secret source holds another value now', async () => {
    const history = JSON.parse(
      (await berth(['history', '-p', project, '-o', 'json'], { env: env() })).stdout,
    ) as { id: string }[];
    const oldest = history.at(-1)!.id;
    await writeFile(join(dir, 'token.txt'), 'second-token');
    expect((await apply('three')).code).toBe(0);
    const id = await docker('inspect', '-f', '{{.Id}}', engineName);
    const back = await rollback(oldest);
    expect(back.code).toBe(1);
    expect(back.stderr).toMatch(/Secret\/token \(file .*token\.txt\).* no longer there/);
    expect(back.stderr).not.toMatch(/first-token|second-token/);
    expect(await docker('inspect', '-f', '{{.Id}}', engineName)).toBe(id);
    expect(await envValue(engineName, 'MODE')).toBe('three');
  });
});
