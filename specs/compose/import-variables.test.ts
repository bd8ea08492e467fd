import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { loadManifests } from '../index.js';
import { formatProblem } from '../problems.js';
import { importCompose } from './index.js';
import { imageOrDefault } from './values.js';
import { tempDir } from '../../test/support/temp-dir.js';

/** Imports `compose` (with `dotEnv` as its `.env`) and validates the output, as the corpus bench does. */
async function importAndValidate(compose: string, dotEnv = '') {
  const dir = tempDir('berth-import-vars-');
  writeFileSync(join(dir, 'compose.yaml'), compose);
  writeFileSync(join(dir, '.env'), dotEnv);
  writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\n');
  const out = tempDir('berth-import-vars-out-');
  const r = importCompose({ files: ['compose.yaml'], cwd: dir, outDir: out, profiles: [] });
  for (const [name, text] of r.manifests) writeFileSync(join(out, name), text);
  writeFileSync(join(out, '.env'), r.dotEnv.text);
  writeFileSync(join(out, 'Dockerfile'), 'FROM scratch\n');
  const loaded = await loadManifests([out], { cwd: out, env: {} });
  const refs = Object.fromEntries(
    [...r.manifests.values()]
      .flatMap((t) =>
        parseAllDocuments(t).map(
          (d) => d.toJS() as { kind: string; metadata: { name: string }; spec: { ref?: string } },
        ),
      )
      .filter((o) => o.kind === 'Image')
      .map((o) => [o.metadata.name, o.spec.ref]),
  );
  return {
    loaded,
    refs,
    messages: loaded.problems.map((p) => formatProblem(p).replaceAll(out, '.')),
  };
}

describe('berth import: variables Compose leaves blank', () => {
  it('gives a built image named by one blank variable the name docker compose gives it', async () => {
    const { loaded, refs } = await importAndValidate(
      'name: demo\nservices:\n  app:\n    image: ${APP_IMAGE}\n    build: .\n  other:\n    image: $OTHER\n    build: {context: .}\n',
    );
    expect(refs).toEqual({
      app: '${APP_IMAGE:-demo-app:latest}',
      other: '${OTHER:-demo-other:latest}',
    });
    expect(loaded.problems).toEqual([]);
    const app = loaded.set.objects.find((o) => o.kind === 'Image' && o.name === 'app');
    expect(app?.spec).toMatchObject({ ref: 'demo-app:latest' });
  });

  it('keeps an image that only partly comes from a variable, or has its own default, as written', () => {
    expect(imageOrDefault('${REG}/app:1', 'x')).toBe('${REG}/app:1');
    expect(imageOrDefault('${APP:-app:2}', 'x')).toBe('${APP:-app:2}');
    expect(imageOrDefault('${APP-}', 'x')).toBe('${APP:-x}');
  });

  it('refuses a blank image with no build, as Compose does, naming the variable', async () => {
    const { messages } = await importAndValidate(
      'name: demo\nservices:\n  app:\n    image: ${APP_IMAGE}\n',
      'APP_IMAGE=\n',
    );
    expect(messages).toEqual([
      expect.stringMatching(
        /spec.image is empty: variable APP_IMAGE is blank \(.*\.env\) \[E_SCHEMA\]$/,
      ),
    ]);
  });

  it('says in every file it writes that ${VAR} became ${VAR:-}, and why (F818)', () => {
    const dir = tempDir('berth-import-vars-');
    writeFileSync(join(dir, 'compose.yaml'), 'services:\n  app:\n    image: app:${TAG}\n');
    const r = importCompose({ files: ['compose.yaml'], cwd: dir, outDir: dir, profiles: [] });
    const text = r.manifests.get('app.yaml') ?? '';
    expect(text).toContain('image: app:${TAG:-}');
    expect(text).toMatch(
      /# \$\{VAR\} without a default is written \$\{VAR:-\}: Compose makes an unset one blank/,
    );
    expect(text).not.toMatch(/kept as written/);
  });
});
