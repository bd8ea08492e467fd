import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupProject, docker, freePort, uniqueProject } from '../support/docker.js';
import {
  containerYaml,
  eventually,
  killStrayBerths,
  spawnBerth,
  waitForApi,
} from './watch-support.js';

/**
 * `berth watch` of a folder whose manifests use `${VAR}` from its `.env`: saving `.env` alone
 * is a change (it once went unnoticed until the next YAML save; new-user trial F10), and a
 * broken `.env` changes nothing (it once recreated the container with the default; F22).
 */
const project = uniqueProject('wenv');
let dir: string;
let state: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'berth-wenv-'));
  state = await mkdtemp(join(tmpdir(), 'berth-wenv-state-'));
  await writeFile(
    join(dir, 'app.yaml'),
    containerYaml('app', '  env: {GREETING: "${GREETING:-unset}"}\n'),
  );
  await writeFile(join(dir, '.env'), 'GREETING=hello\n');
});

afterAll(async () => {
  await killStrayBerths();
  await cleanupProject(project);
  await rm(dir, { recursive: true, force: true });
  await rm(state, { recursive: true, force: true });
});

const greeting = async () =>
  (await docker('inspect', '-f', '{{range .Config.Env}}{{println .}}{{end}}', `${project}-app`))
    .split('\n')
    .find((l) => l.startsWith('GREETING='));

describe('berth watch and .env', () => {
  it('applies a saved .env without any manifest change; a broken one changes nothing', async () => {
    const port = await freePort();
    const w = spawnBerth(['watch', dir, '-p', project, '--listen', `127.0.0.1:${port}`], {
      XDG_STATE_HOME: state,
    });
    await waitForApi(w);
    expect(await eventually(async () => (await greeting()) === 'GREETING=hello', 30_000)).toBe(
      true,
    );
    const beforeBonjour = w.stderr().length;
    await writeFile(join(dir, '.env'), 'GREETING=bonjour\n');
    const changed = await eventually(async () => (await greeting()) === 'GREETING=bonjour', 20_000);
    expect(changed, w.stderr()).toBe(true);
    const replaced = /"key":"Container\/app"[^\n]*"outcome":"converged"/;
    await eventually(async () => replaced.test(w.stderr().slice(beforeBonjour)), 10_000);

    const id = await docker('inspect', '-f', '{{.Id}}', `${project}-app`);
    const logged = w.stderr().length;
    await writeFile(join(dir, '.env'), 'GREETING=bonjour\nthis is not valid\n');
    const noticed = await eventually(async () => {
      const view: unknown = await (await fetch(`${w.api}/api/v1/status`)).json();
      return /E_ENV_FILE/.test(JSON.stringify(view));
    }, 20_000);
    expect(noticed, w.stderr()).toBe(true);
    await new Promise((r) => setTimeout(r, 6_000));
    expect(w.stderr().slice(logged)).not.toMatch(/"key":"Container\/app"/);
    expect(await greeting()).toBe('GREETING=bonjour');
    expect(await docker('inspect', '-f', '{{.Id}}', `${project}-app`)).toBe(id);
    w.child.kill('SIGTERM');
    await w.exited;
  });
});
