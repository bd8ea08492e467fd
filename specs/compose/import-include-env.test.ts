import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../index.js';
import { ComposeInputError, importCompose } from './index.js';
import { tempDir } from '../../test/support/temp-dir.js';

/**
 * F149: an included Compose file's `${VAR}` resolves as in docker compose (compose spec
 * `include`): the including project's variables first, then the included project's own
 * `.env` (in its project_directory) or the `env_file` list the include names.
 */

function project(files: Record<string, string>): string {
  const dir = tempDir('berth-include-env-');
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

/** Imports, writes the output as `berth import -o` does, and loads it as `berth apply` would. */
async function importAndLoad(dir: string, env: Record<string, string> = {}) {
  const out = join(dir, 'out');
  const r = importCompose({ files: ['compose.yaml'], cwd: dir, outDir: out, profiles: [], env });
  mkdirSync(out, { recursive: true });
  for (const [name, text] of r.manifests) writeFileSync(join(out, name), text);
  writeFileSync(join(out, '.env'), r.dotEnv.text);
  const loaded = await loadManifests([out], { cwd: out, env });
  const envOf = (name: string) =>
    (
      loaded.set.objects.find((o) => o.kind === 'Container' && o.name === name)?.spec as
        { env?: unknown } | undefined
    )?.env;
  return { r, loaded, envOf, dotEnv: readFileSync(join(out, '.env'), 'utf8') };
}

const cache =
  'services:\n  cache:\n    image: busybox:1.36\n    environment: {SUBVAR: "${SUBVAR:-unset}"}\n';
const web = 'services:\n  web:\n    image: busybox:1.36\n';

describe('berth import: variables of an included file (F149)', () => {
  it("reads the included project's own .env, and carries the value into the output's .env", async () => {
    const dir = project({
      'compose.yaml': `include: [sub/compose.yaml]\n${web}`,
      'sub/compose.yaml': cache,
      'sub/.env': 'SUBVAR=from-sub-env\n',
    });
    const { r, loaded, envOf, dotEnv } = await importAndLoad(dir);
    expect(r.losses).toEqual([]);
    expect(r.warnings).toEqual([]);
    expect(loaded.problems).toEqual([]);
    expect(envOf('cache')).toEqual({ SUBVAR: 'from-sub-env' });
    expect(dotEnv).toContain(
      "# From sub/.env (an included project's variables, written by berth import)\nSUBVAR=from-sub-env\n",
    );
    expect(dotEnv).toMatch(/\nCOMPOSE_PROJECT_NAME=[^\n]+\n/);
    // the environment still wins at apply, as it does over the included .env in Compose
    const shell = await importAndLoad(dir, { SUBVAR: 'from-shell' });
    expect(shell.envOf('cache')).toEqual({ SUBVAR: 'from-shell' });
  });

  it("never carries Compose's own variables of an included project into the output's .env", async () => {
    const dir = project({
      'compose.yaml': `name: main\ninclude: [sub/compose.yaml]\n${web}`,
      'sub/compose.yaml':
        'services:\n  cache:\n    image: busybox:1.36\n    environment: {P: "${COMPOSE_PROJECT_NAME}"}\n',
      'sub/.env': 'COMPOSE_PROJECT_NAME=subproj\n',
    });
    const { envOf, dotEnv, r } = await importAndLoad(dir);
    expect(envOf('cache')).toEqual({ P: 'subproj' });
    expect(dotEnv).toMatch(/\nCOMPOSE_PROJECT_NAME=main\n$/);
    expect(r.warnings.map((w) => w.message)).toEqual([
      "${COMPOSE_PROJECT_NAME} is written as its value from sub/.env, the env file of the included project: the .env beside the manifests sets Compose's COMPOSE_PROJECT_NAME for the including project (setting COMPOSE_PROJECT_NAME when applying does not change it here)",
    ]);
  });

  it("lets the including project's .env win over the included one", async () => {
    const dir = project({
      'compose.yaml': `include: [sub/compose.yaml]\n${web}`,
      '.env': 'SUBVAR=from-main\n',
      'sub/compose.yaml': cache,
      'sub/.env': 'SUBVAR=from-sub-env\nOTHER=x\n',
    });
    const { envOf, dotEnv } = await importAndLoad(dir);
    expect(envOf('cache')).toEqual({ SUBVAR: 'from-main' });
    expect(dotEnv).not.toContain('from-sub-env');
    expect(dotEnv).not.toContain('OTHER');
  });

  it('reads the env_file list of the long form instead of the .env (later files win)', async () => {
    const dir = project({
      'compose.yaml': `include:\n  - path: sub/compose.yaml\n    env_file: [sub/a.env, sub/other.env]\n${web}`,
      'sub/compose.yaml': cache,
      'sub/.env': 'SUBVAR=from-sub-env\n',
      'sub/a.env': 'SUBVAR=from-a\n',
      'sub/other.env': 'SUBVAR=from include envfile $$x\n',
    });
    const { envOf, dotEnv, r } = await importAndLoad(dir);
    expect(r.warnings).toEqual([]);
    expect(envOf('cache')).toEqual({ SUBVAR: 'from include envfile $x' });
    expect(dotEnv).toContain("SUBVAR='from include envfile $x'");
  });

  it('takes the .env and relative paths from project_directory', async () => {
    const dir = project({
      'compose.yaml': `include:\n  - path: sub/compose.yaml\n    project_directory: proj\n${web}`,
      'sub/compose.yaml':
        'services:\n  cache:\n    image: busybox:1.36\n    environment: {SUBVAR: $SUBVAR}\n    volumes: [./data:/data]\n',
      'sub/.env': 'SUBVAR=not-this\n',
      'proj/.env': 'SUBVAR=from-project-directory\n',
    });
    const { envOf, r } = await importAndLoad(dir);
    expect(envOf('cache')).toEqual({ SUBVAR: 'from-project-directory' });
    const bind = r.objects.find((o) => o.kind === 'BindMount');
    expect(bind?.spec).toMatchObject({ hostPath: '../proj/data' });
  });

  it('writes the value where files disagree on a variable, and says so', async () => {
    const dir = project({
      'compose.yaml': `include: [a/compose.yaml, b/compose.yaml]\nservices:\n  web:\n    image: busybox:1.36\n    environment: {TAG: "\${TAG:-main}"}\n`,
      'a/compose.yaml':
        'services:\n  a:\n    image: busybox:1.36\n    environment: {TAG: "v${TAG}"}\n',
      'a/.env': 'TAG=1\n',
      'b/compose.yaml':
        'services:\n  b:\n    image: busybox:1.36\n    environment: {TAG: "${TAG:-x}$$"}\n',
      'b/.env': 'TAG=2\n',
    });
    const { envOf, r, dotEnv } = await importAndLoad(dir);
    expect(envOf('web')).toEqual({ TAG: 'main' });
    expect(envOf('a')).toEqual({ TAG: 'v1' });
    expect(envOf('b')).toEqual({ TAG: '2$' });
    expect(dotEnv).not.toContain('TAG');
    expect(r.warnings.map((w) => `${w.where.file}:${w.where.line}: ${w.message}`)).toEqual([
      'a/compose.yaml:4: ${TAG} is written as its value from a/.env, the env file of the included project: another file reads the variable with another value, and the .env beside the manifests holds one value (setting TAG when applying does not change it here)',
      'b/compose.yaml:4: ${TAG} is written as its value from b/.env, the env file of the included project: another file reads the variable with another value, and the .env beside the manifests holds one value (setting TAG when applying does not change it here)',
    ]);
  });

  it('gives a nested include the outer includes’ values first', async () => {
    const dir = project({
      'compose.yaml': `include: [sub/compose.yaml]\n${web}`,
      'sub/compose.yaml': 'include: [deep/compose.yaml]\nservices: {}\n',
      'sub/.env': 'SUBVAR=from-sub\n',
      'sub/deep/compose.yaml': cache,
      'sub/deep/.env': 'SUBVAR=from-deep\n',
    });
    const { envOf } = await importAndLoad(dir);
    expect(envOf('cache')).toEqual({ SUBVAR: 'from-sub' });
  });

  it('resolves variables in include entries from the environment and the .env (F210)', async () => {
    const dir = project({
      'compose.yaml': `include:\n  - path: \${SUBDIR:-nowhere}/compose.yaml\n    env_file: \${SUBDIR}/\${ENVNAME}\n${web}`,
      '.env': 'SUBDIR=sub\n',
      'sub/compose.yaml': cache,
      'sub/other.env': 'SUBVAR=from-other\n',
    });
    const { envOf } = await importAndLoad(dir, { ENVNAME: 'other.env' });
    expect(envOf('cache')).toEqual({ SUBVAR: 'from-other' });
    expect(() =>
      importCompose({ files: ['compose.yaml'], cwd: dir, outDir: dir, profiles: [] }),
    ).toThrow('include: variable ENVNAME is not set');
  });

  it('refuses a missing env_file, an unknown key and a wrong type, with their position', () => {
    const refused = (include: string) => {
      const dir = project({
        'compose.yaml': `include:\n${include}${web}`,
        'sub/compose.yaml': cache,
      });
      try {
        importCompose({ files: ['compose.yaml'], cwd: dir, outDir: dir, profiles: [] });
      } catch (e) {
        if (e instanceof ComposeInputError)
          return `${e.where.file}:${e.where.line}:${e.where.column}: ${e.message}`;
        throw e;
      }
      return 'accepted';
    };
    expect(refused('  - path: sub/compose.yaml\n    env_file: sub/none.env\n')).toBe(
      'compose.yaml:3:5: include: env_file sub/none.env: no such file',
    );
    expect(refused('  - path: sub/compose.yaml\n    envfile: x\n')).toBe(
      'compose.yaml:3:5: include: unknown key "envfile" (expected path, project_directory or env_file)',
    );
    expect(refused('  - path: sub/compose.yaml\n    env_file: {a: 1}\n')).toBe(
      'compose.yaml:3:5: include: env_file must be a string or a list of strings',
    );
    const bad = project({
      'compose.yaml': `include: [sub/compose.yaml]\n${web}`,
      'sub/compose.yaml': cache,
      'sub/.env': 'SUBVAR=1\nBAD LINE\n',
    });
    const where = (() => {
      try {
        importCompose({ files: ['compose.yaml'], cwd: bad, outDir: bad, profiles: [] });
      } catch (e) {
        if (e instanceof ComposeInputError)
          return `${e.where.file}:${e.where.line}:${e.where.column}`;
      }
      return 'accepted';
    })();
    expect(where).toBe('sub/.env:2:1');
    expect(refused('  - path: sub/compose.yaml\n    project_directory: [x]\n')).toBe(
      'compose.yaml:3:5: include: project_directory must be a string',
    );
  });
});
