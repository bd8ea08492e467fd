import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../index.js';
import { digestOf, valueOf } from '../file-values.js';
import { tempDir } from '../../test/support/temp-dir.js';

/**
 * F179: a Secret, Config or build secret `env: VAR` reads the project's variables as Compose's
 * `secrets.X.environment` does — berth's environment first, then the folder's `.env` (or
 * `--env-file`) — so an imported project whose `.env` holds the value validates as it ran.
 */
const MANIFEST = `apiVersion: berth/v1
kind: Secret
metadata: {name: token}
spec: {env: TOKEN}
---
apiVersion: berth/v1
kind: Config
metadata: {name: cfg}
spec: {env: CFG_VAL}
---
apiVersion: berth/v1
kind: Image
metadata: {name: app}
spec:
  ref: localhost/app:1
  build:
    context: .
    secrets: [{id: npmrc, env: NPM_TOKEN}]
`;

async function load(env: NodeJS.ProcessEnv, dotenv?: string) {
  const dir = tempDir('berth-secret-env-');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'app.yaml'), MANIFEST);
  writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\n');
  if (dotenv !== undefined) writeFileSync(join(dir, '.env'), dotenv);
  return loadManifests([dir], { cwd: dir, env, hash: false });
}

function digests(loaded: Awaited<ReturnType<typeof load>>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const o of loaded.set.objects) {
    if (o.kind === 'Secret' || o.kind === 'Config') out[o.name] = o.spec.digest;
    if (o.kind === 'Image') out[o.name] = o.spec.build?.secrets?.[0]?.digest;
  }
  return out;
}

describe('Secret/Config/build secret env: the project variables (F179)', () => {
  it('takes a value that only the .env file holds', async () => {
    const loaded = await load({}, 'TOKEN=abc123\nCFG_VAL=x=1\nNPM_TOKEN=npm-s3cret\n');
    expect(loaded.problems).toEqual([]);
    const d = digests(loaded);
    expect(d).toEqual({
      token: digestOf(Buffer.from('abc123')),
      cfg: digestOf(Buffer.from('x=1')),
      app: digestOf(Buffer.from('npm-s3cret')),
    });
    expect(valueOf(d.token ?? '')?.toString()).toBe('abc123');
  });

  it("lets berth's environment win over the file", async () => {
    const loaded = await load(
      { TOKEN: 'shell', CFG_VAL: 'c', NPM_TOKEN: 'n' },
      'TOKEN=abc123\nCFG_VAL=x=1\nNPM_TOKEN=npm-s3cret\n',
    );
    expect(loaded.problems).toEqual([]);
    expect(digests(loaded).token).toBe(digestOf(Buffer.from('shell')));
  });

  it('still refuses a variable set nowhere, at its line, without the value', async () => {
    const loaded = await load({}, 'OTHER=1\n');
    expect(loaded.problems.map((p) => `${p.line}:${p.column} ${p.code} ${p.message}`)).toEqual([
      expect.stringMatching(/^4:\d+ E_SECRET_SOURCE .*names TOKEN, which is set neither/),
      expect.stringMatching(/^9:\d+ E_SECRET_SOURCE .*names CFG_VAL/),
      expect.stringMatching(/^18:\d+ E_SECRET_SOURCE .*names NPM_TOKEN/),
    ]);
  });
});

describe('a secret file that cannot be read says why in words (F819)', () => {
  it('missing, or a folder', async () => {
    const dir = tempDir('berth-secret-file-');
    mkdirSync(join(dir, 'a-folder'), { recursive: true });
    writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\n');
    writeFileSync(
      join(dir, 'app.yaml'),
      `apiVersion: berth/v1
kind: Secret
metadata: {name: gone}
spec: {file: ./gone.txt}
---
apiVersion: berth/v1
kind: Config
metadata: {name: dir}
spec: {file: ./a-folder}
---
apiVersion: berth/v1
kind: Image
metadata: {name: app}
spec:
  ref: localhost/app:1
  build:
    context: .
    secrets: [{id: npmrc, file: ./npmrc}]
`,
    );
    const { problems } = await loadManifests([dir], { cwd: dir, env: {}, hash: false });
    expect(problems.map((p) => `${p.line}:${p.code} ${p.message}`)).toEqual([
      `4:E_SECRET_SOURCE Secret "gone": spec.file ${join(dir, 'gone.txt')} does not exist`,
      `9:E_SECRET_SOURCE Config "dir": spec.file ${join(dir, 'a-folder')} is a folder, not a file`,
      `18:E_SECRET_SOURCE Image "app": spec.build.secrets[0].file ${join(dir, 'npmrc')} does not exist`,
    ]);
  });
});
