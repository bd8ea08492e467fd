import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCore } from './core-schema.js';
import { startYamlHelper } from './yaml-helper.js';

/** The worker as scripts/build.mjs bundles it (a worker thread cannot run TypeScript). */
const work = mkdtempSync(join(tmpdir(), 'berth-yaml-worker-'));
const workerFile = join(work, 'yaml-worker.cjs');
beforeAll(async () => {
  await build({
    entryPoints: ['specs/parse/yaml-worker.ts'],
    outfile: workerFile,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    logLevel: 'warning',
  });
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const TEXT = Array.from(
  { length: 200 },
  (_, i) =>
    `apiVersion: berth/v1\nkind: Container\nmetadata: {name: c${i}}\nspec: {image: x, init: true}\n`,
).join('---\n');

/** Offers `text` until the worker answers (it takes ~50 ms to start; longer on a busy machine). */
async function answered(helper: ReturnType<typeof startYamlHelper>, text: string) {
  for (let tries = 0; tries < 300; tries++) {
    const take = helper.offer(text, 'f.yaml');
    await sleep(100);
    const values = take();
    if (values) return values;
  }
  throw new Error('the worker never answered');
}

describe('the YAML worker', () => {
  it('answers with the documents this thread reads, and a text it has not claimed is withdrawn', async () => {
    const helper = startYamlHelper(workerFile);
    // Taken back at once, before the worker even started: nothing, and no answer left behind.
    expect(helper.offer(TEXT, 'f.yaml')()).toBeUndefined();
    expect(await answered(helper, TEXT)).toEqual(loadCore(TEXT, 'f.yaml').values);
    // `__proto__` stays an own key across the copy, as js-yaml and the full parser read it.
    const [proto] = (await answered(helper, 'a: 1\n__proto__: {b: 2}\n')) as object[];
    expect(Object.keys(proto!)).toEqual(['a', '__proto__']);
    expect(Object.getPrototypeOf(proto)).toBe(Object.prototype);
  });

  it('answers nothing for a YAML error or a scalar that keeps its written text', async () => {
    const helper = startYamlHelper(workerFile);
    await answered(helper, TEXT);
    for (const text of ['a: [1\n', 'a: 0x10\n', 'a: True\n']) {
      const take = helper.offer(text, 'f.yaml');
      await sleep(200);
      expect(take(), text).toBeUndefined();
    }
    // Still answering after them.
    expect(await answered(helper, 'a: 1\n')).toEqual([{ a: 1 }]);
  });

  it('a worker that cannot start answers nothing and never blocks', async () => {
    const helper = startYamlHelper(join(work, 'missing.cjs'));
    const take = helper.offer(TEXT, 'f.yaml');
    await sleep(500);
    expect(take()).toBeUndefined();
    expect(helper.offer(TEXT, 'f.yaml')()).toBeUndefined();
  });
});
