import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { cleanupProject, docker, uniqueProject } from '../support/docker.js';
import { sleeperYaml } from '../support/manifests.js';

// What the reader hands the engine, checked on the real engine (issue 19 items 1 and 2,
// issue 13 "Variables"): values as written, variables resolved, ~ expanded.
const project = uniqueProject('reading');
const root = mkdtempSync(join(tmpdir(), 'berth-reading-'));
const stateDir = join(root, 'state');
const home = join(root, 'home');
mkdirSync(home);
const savedHome = process.env.HOME;

afterAll(async () => {
  await cleanupProject(project);
  if (savedHome === undefined) delete process.env.HOME;
  else process.env.HOME = savedHome;
  rmSync(root, { recursive: true, force: true });
});

function app(name: string, files: Record<string, string>): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  return dir;
}

const run = (args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) =>
  berth([...args, '-p', project], { cwd, env: { XDG_STATE_HOME: stateDir, ...env } });

/** The container's `Config.Env` holds every one of `entries`. */
async function expectEnv(name: string, entries: string[]): Promise<void> {
  const out = await docker('inspect', '-f', '{{json .Config.Env}}', `${project}-${name}`);
  expect(JSON.parse(out) as string[]).toEqual(expect.arrayContaining(entries));
}

describe('values the reader hands the engine', () => {
  it('keeps number-looking env values exactly as written', async () => {
    const dir = app('numbers', {
      'web.yaml': sleeperYaml(
        'numbers',
        '  env: {VERSION: 1.10, ZIP: 01234, MODE: 0755, BIG: 12345678901234567890, ON: True, HEX: 0x1F}\n',
      ),
    });
    const apply = await run(['apply', '-f', '.'], dir);
    expect(apply.code, apply.stderr).toBe(0);
    await expectEnv('numbers', [
      'VERSION=1.10',
      'ZIP=01234',
      'MODE=0755',
      'BIG=12345678901234567890',
      'ON=True',
      'HEX=0x1F',
    ]);
  });

  it('resolves variables from the environment, .env and --env-file, $$ staying a $', async () => {
    const manifest = sleeperYaml(
      'vars',
      '  env: {TAG: "${TAG}", FROM: "${FROM:-default}", LITERAL: "$$HOME", NESTED: "${NOPE:-${TAG}-x}"}\n',
    );
    const dir = app('vars', {
      'vars.yaml': manifest,
      '.env': 'TAG=from-dotenv\nFROM=dotenv\n',
      'prod.env': 'TAG=from-prod\n',
      'late.env': 'FROM=late\n',
    });
    const plan = await run(['plan', '-f', '.', '-o', 'json'], dir, { FROM: 'process' });
    expect(plan.code, plan.stderr).toBe(0);
    const apply = await run(['apply', '-f', '.'], dir, { FROM: 'process' });
    expect(apply.code, apply.stderr).toBe(0);
    await expectEnv('vars', [
      'TAG=from-dotenv',
      'FROM=process',
      'LITERAL=$HOME',
      'NESTED=from-dotenv-x',
    ]);
    const files = ['--env-file', 'prod.env', '--env-file', 'late.env'];
    const again = await run(['apply', '-f', '.', ...files], dir);
    expect(again.code, again.stderr).toBe(0);
    await expectEnv('vars', ['TAG=from-prod', 'FROM=late', 'NESTED=from-prod-x']);
  });

  it('refuses an unset variable with file:line:col and changes nothing', async () => {
    const dir = app('unset', {
      'web.yaml': sleeperYaml('unset', '  env: {DB: "${BERTH_TEST_UNSET_DB}"}\n'),
    });
    const validate = await run(['validate', '-f', 'web.yaml'], dir);
    expect(validate.code).toBe(1);
    expect(validate.stdout).toBe(
      'web.yaml:8:14: variable BERTH_TEST_UNSET_DB is not set [E_UNSET_VAR]\n',
    );
    const apply = await run(['apply', '-f', 'web.yaml'], dir);
    expect(apply.code).toBe(1);
    const left = await docker('ps', '-aq', '--filter', `name=${project}-unset`);
    expect(left).toBe('');
  });

  it('expands ~/ in a host path to the home folder and makes no folder named ~', async () => {
    process.env.HOME = home;
    const dir = app('tilde', {
      'cache.yaml':
        'apiVersion: berth/v1\nkind: BindMount\nmetadata: {name: cache}\nspec: {hostPath: "~/cache", type: DirectoryOrCreate}\n',
      'web.yaml': sleeperYaml('tilde', '  mounts: [{bindMount: cache, target: /cache}]\n'),
    });
    const apply = await run(['apply', '-f', '.'], dir, { HOME: home });
    expect(apply.code, apply.stderr).toBe(0);
    expect(existsSync(join(dir, '~'))).toBe(false);
    expect(existsSync(join(home, 'cache'))).toBe(true);
    const source = await docker(
      'inspect',
      '-f',
      '{{range .Mounts}}{{.Source}}{{end}}',
      `${project}-tilde`,
    );
    expect(source).toBe(join(home, 'cache'));
  });
});
