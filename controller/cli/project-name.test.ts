import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/support/temp-dir.js';
import { berth } from '../../test/support/cli.js';
import { resolveProjectName } from './project-name.js';

describe('the project name (DESIGN.md "Identity"; COMPOSE_PROJECT_NAME as in Compose, issue 13)', () => {
  /** A folder with `out/` (an import's output: .env names the project) and `My App/`. */
  function folders() {
    const root = tempDir('berth-project-name-');
    const imported = join(root, 'out');
    const plain = join(root, 'My App');
    mkdirSync(imported);
    mkdirSync(plain);
    writeFileSync(join(imported, '.env'), 'A=1\nCOMPOSE_PROJECT_NAME=adv-big\n');
    writeFileSync(join(imported, 'web.yaml'), '');
    return { root, imported, plain };
  }

  it('-p first, then COMPOSE_PROJECT_NAME from the environment, then from the folder’s .env', () => {
    const { root, imported } = folders();
    expect(resolveProjectName('flag', ['out'], root, { COMPOSE_PROJECT_NAME: 'env' })).toBe('flag');
    expect(resolveProjectName(undefined, ['out'], root, { COMPOSE_PROJECT_NAME: 'env' })).toBe(
      'env',
    );
    expect(resolveProjectName(undefined, ['out'], root, {})).toBe('adv-big');
    expect(resolveProjectName(undefined, ['out/web.yaml'], root, {})).toBe('adv-big');
    expect(resolveProjectName(undefined, [], imported, {})).toBe('adv-big');
  });
  it('else the folder’s base name, made safe for engine names', () => {
    const { root, plain } = folders();
    expect(resolveProjectName(undefined, ['My App'], root, {})).toBe('myapp');
    expect(resolveProjectName(undefined, [], plain, { COMPOSE_PROJECT_NAME: '' })).toBe('myapp');
  });

  it('else the top-level name: of the folder’s Compose file, as docker compose takes it (F84)', () => {
    const { root, plain } = folders();
    const mon = join(root, 'mon');
    mkdirSync(mon);
    writeFileSync(join(mon, 'compose.yaml'), '# app\nname: adv-mon\nservices: {a: {image: x}}\n');
    expect(resolveProjectName(undefined, [], mon, {})).toBe('adv-mon');
    expect(resolveProjectName(undefined, ['mon'], root, {})).toBe('adv-mon');
    expect(resolveProjectName(undefined, [], mon, { COMPOSE_PROJECT_NAME: 'env' })).toBe('env');
    expect(resolveProjectName('flag', [], mon, {})).toBe('flag');
    // A name with variables resolves through the environment, then .env.
    writeFileSync(join(mon, 'compose.yaml'), 'name: ${APP:-dflt}-${STAGE}\nservices: {}\n');
    writeFileSync(join(mon, '.env'), 'STAGE=prod\n');
    expect(resolveProjectName(undefined, [], mon, { APP: 'shop' })).toBe('shop-prod');
    // COMPOSE_FILE picks the files; a later file's name wins.
    writeFileSync(join(mon, 'other.yml'), 'name: other\n');
    writeFileSync(join(mon, '.env'), 'COMPOSE_FILE=compose.yaml:other.yml\nSTAGE=x\n');
    expect(resolveProjectName(undefined, [], mon, {})).toBe('other');
    // A Compose file without name:, a name: below the top level, or a file that is no YAML: the base name.
    const nameless = join(root, 'nameless');
    mkdirSync(nameless);
    writeFileSync(join(nameless, 'docker-compose.yml'), 'services:\n  a:\n    name: nope\n');
    expect(resolveProjectName(undefined, [], nameless, {})).toBe('nameless');
    writeFileSync(join(nameless, 'docker-compose.yml'), 'name: [unclosed\n');
    expect(resolveProjectName(undefined, [], nameless, {})).toBe('nameless');
    expect(resolveProjectName(undefined, [], plain, {})).toBe('myapp');
  });

  it('a .env line that is not NAME=VALUE fails with its file:line:col, never the folder name (F199)', () => {
    const { root, imported } = folders();
    writeFileSync(join(imported, '.env'), 'A=1\nCOMPOSE_PROJECT_NAME=adv-big\nBAD LINE\n');
    const path = join(imported, '.env');
    expect(() => resolveProjectName(undefined, [], imported, {})).toThrow(
      expect.objectContaining({
        code: 'E_MANIFEST',
        message: expect.stringMatching(
          new RegExp(`^${path}:3:1: is not NAME=VALUE.* \\[E_ENV_FILE\\]$`),
        ),
      }),
    );
    expect(() => resolveProjectName(undefined, ['out'], root, {})).toThrow(/:3:1: /);
    // The name does not come from .env: -p, or COMPOSE_PROJECT_NAME in the environment.
    expect(resolveProjectName('p', [], imported, {})).toBe('p');
    expect(resolveProjectName(undefined, [], imported, { COMPOSE_PROJECT_NAME: 'env' })).toBe(
      'env',
    );
  });

  it('down, status and get exit 1 naming the bad .env line instead of acting on the folder (F199)', async () => {
    const { imported } = folders();
    writeFileSync(join(imported, '.env'), 'COMPOSE_PROJECT_NAME=adv-big\nBAD LINE\n');
    for (const verb of [['down'], ['status'], ['get', 'containers']]) {
      const run = await berth(verb, {
        cwd: imported,
        env: { XDG_STATE_HOME: join(imported, 'st') },
      });
      expect(run.code, `${verb.join(' ')}: ${run.stdout}${run.stderr}`).toBe(1);
      expect(run.stderr).toContain(`error: ${join(imported, '.env')}:2:1: is not NAME=VALUE`);
      expect(run.stdout).not.toContain('out');
    }
  });

  it('a name given as such that is not a valid project name is refused, never rewritten (F191)', () => {
    const { root, imported, plain } = folders();
    for (const bad of ['x.y', 'Café', '../etc', '-lead', '_x', 'UPPER', 'a b'])
      expect(() => resolveProjectName(bad, [], root, {})).toThrow(
        expect.objectContaining({
          code: 'E_USAGE',
          message: `invalid project name ${JSON.stringify(bad)}: must contain only lowercase letters, decimal digits, dashes and underscores, and must begin with a lowercase letter or decimal digit (from -p/--project)`,
        }),
      );
    expect(resolveProjectName('web_v1-2', [], root, {})).toBe('web_v1-2');
    expect(() =>
      resolveProjectName(undefined, [], root, { COMPOSE_PROJECT_NAME: 'Web.v1' }),
    ).toThrow(/"Web\.v1".*\(from COMPOSE_PROJECT_NAME in the environment\)$/);
    writeFileSync(join(imported, '.env'), 'COMPOSE_PROJECT_NAME=web.v1\n');
    expect(() => resolveProjectName(undefined, [], imported, {})).toThrow(
      `(from COMPOSE_PROJECT_NAME in ${join(imported, '.env')})`,
    );
    const mon = join(root, 'mon');
    mkdirSync(mon);
    writeFileSync(join(mon, 'compose.yaml'), 'name: MyApp.Prod\nservices: {}\n');
    expect(() => resolveProjectName(undefined, [], mon, {})).toThrow(
      `"MyApp.Prod": must contain only lowercase letters`,
    );
    // A folder's base name is still made one, as Compose makes it.
    expect(resolveProjectName(undefined, [], plain, {})).toBe('myapp');
  });
});
