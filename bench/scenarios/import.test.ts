import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importCompose } from '../../specs/compose/index.js';
import { loadManifests } from '../../specs/index.js';
import { composeText, unexpectedImport } from './import.js';

const work = mkdtempSync(join(tmpdir(), 'berth-bench-import-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Imports generated project `i` and loads the written manifests back. */
async function imported(i: number, services: number, text = composeText(i, services)) {
  const dir = mkdtempSync(join(work, 'p-'));
  writeFileSync(join(dir, 'compose.yaml'), text);
  const out = join(dir, 'berth');
  const result = importCompose({ files: ['compose.yaml'], cwd: dir, outDir: out, profiles: [] });
  mkdirSync(out, { recursive: true });
  for (const [name, manifest] of result.manifests) writeFileSync(join(out, name), manifest);
  return (await loadManifests([out], { cwd: dir })).set.objects;
}

describe('the import bench scenario checks what each import produced', () => {
  it('accepts a faithful import', async () => {
    expect(unexpectedImport(await imported(3, 4), 3, 4)).toBeUndefined();
  });
  it('names a missing object, and a service whose fields went astray', async () => {
    const objects = await imported(5, 2);
    const missing = objects.filter((o) => !(o.kind === 'Volume' && o.name === 'data1'));
    expect(unexpectedImport(missing, 5, 2)).toMatch(
      /^project 5: objects .*, wanted .*Volume\/data1/,
    );
    const astray = composeText(6, 3).replace(
      'condition: service_healthy',
      'condition: service_started',
    );
    expect(unexpectedImport(await imported(6, 3, astray), 6, 3)).toBe(
      'project 6: Container/svc1 is not what its service declared',
    );
  });
});
