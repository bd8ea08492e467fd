import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../index.js';
import type { ImageObject } from '../model.js';
import { formatProblem } from '../problems.js';
import { tempDir } from '../../test/support/temp-dir.js';

/** Loads one Image whose `build` is `build` (flow YAML), from a folder holding `files`. */
async function image(build: string, files: Record<string, string> = {}) {
  const dir = tempDir('berth-image-build-');
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  const file = join(dir, 'image.yaml');
  writeFileSync(
    file,
    `apiVersion: berth/v1\nkind: Image\nmetadata: {name: web}\nspec:\n  ref: local/web:1\n  build: ${build}\n`,
  );
  const loaded = await loadManifests([file]);
  const object = loaded.set.objects.find((o) => o.kind === 'Image') as ImageObject | undefined;
  return { dir, object, problems: loaded.problems.map(formatProblem) };
}

describe('Image build: inline Dockerfile and remote contexts', () => {
  it('takes an inline Dockerfile, sent under a name of its own; its text decides the rebuild', async () => {
    const a = await image('{context: ., dockerfileInline: "FROM scratch\\nCOPY a /a\\n"}', {
      a: 'a',
    });
    expect(a.problems).toEqual([]);
    expect(a.object?.spec.build).toMatchObject({
      context: a.dir,
      dockerfile: '.dockerfile.inline',
      dockerfileInline: 'FROM scratch\nCOPY a /a\n',
    });
    const b = await image('{context: ., dockerfileInline: "FROM scratch\\nCOPY a /b\\n"}', {
      a: 'a',
    });
    expect(b.object?.spec.build?.contentHash).not.toBe(a.object?.spec.build?.contentHash);
    expect(b.object?.specHash).not.toBe(a.object?.specHash);
  });

  it('hands a git URL to the engine as it is written, hashed by URL and ref', async () => {
    const url = 'https://github.com/docker/awesome-compose.git#master:nginx-golang/backend';
    const a = await image(`{context: "${url}", dockerfile: Dockerfile.prod}`);
    expect(a.problems).toEqual([]);
    expect(a.object?.spec.build).toMatchObject({
      context: url,
      remote: true,
      dockerfile: 'Dockerfile.prod',
    });
    const b = await image(
      `{context: "${url.replace('master', 'v2')}", dockerfile: Dockerfile.prod}`,
    );
    expect(b.object?.spec.build?.contentHash).not.toBe(a.object?.spec.build?.contentHash);
  });

  it('refuses an inline Dockerfile beside a Dockerfile file or a remote context', async () => {
    const both = await image(
      '{context: ., dockerfile: Dockerfile, dockerfileInline: "FROM scratch"}',
    );
    expect(both.problems).toEqual([
      expect.stringMatching(
        /image\.yaml:6:65: Image "web": spec\.build\.dockerfileInline cannot be used with dockerfile: .* \[E_EXCLUSIVE\]$/,
      ),
    ]);
    expect(both.object?.spec.build).toBeUndefined();
    const remote = await image(
      '{context: "git://127.0.0.1/app.git", dockerfileInline: "FROM scratch"}',
    );
    expect(remote.problems).toEqual([
      expect.stringMatching(
        /spec\.build\.dockerfileInline cannot be used with a remote context: the engine reads .* \[E_EXCLUSIVE\]$/,
      ),
    ]);
  });

  it('refuses a remote context it cannot hand to the engine, at the context', async () => {
    const bad = await image('{context: "git@github.com"}');
    expect(bad.problems).toEqual([
      expect.stringMatching(
        /image\.yaml:6:20: Image "web": spec\.build\.context "git@github\.com" is not a git address.* \[E_URL\]$/,
      ),
    ]);
  });
});
