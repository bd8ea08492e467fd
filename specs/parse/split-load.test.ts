import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { PLAIN, abstractSet, renderSet, toYaml } from '../testing/manifests.arbitrary.js';
import { loadCore } from './core-schema.js';
import { parseManifestText, type ParsedFile } from './documents.js';
import { scalarString } from './scalar-text.js';
import { loadManifests } from '../index.js';
import { parseAhead } from './documents.js';
import { installYamlHelper, readAhead, separatorNear, type YamlLoadHelper } from './split-load.js';

/**
 * A helper that answers as the worker does (yaml-worker.ts), on this thread, its values
 * copied as between threads (structuredClone is postMessage's copy). `offers` counts splits.
 */
function inThreadHelper(change: (values: unknown[]) => unknown[] = (v) => v) {
  const helper = {
    offers: 0,
    texts: [] as string[],
    taken: 0,
    offer(text: string, file: string) {
      helper.offers++;
      helper.texts.push(text);
      return () => {
        helper.taken++;
        try {
          const loaded = loadCore(text, file);
          return loaded.written ? undefined : change(structuredClone(loaded.values));
        } catch {
          return undefined;
        }
      };
    },
  };
  return helper;
}

/** Every value path of a plain value, keys and indexes, depth first. */
function paths(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return [at, ...value.flatMap((v, i) => paths(v, [...at, i]))];
  if (value !== null && typeof value === 'object')
    return [at, ...Object.entries(value).flatMap(([k, v]) => paths(v, [...at, k]))];
  return [at];
}

/** What a caller of parseManifestText sees: values, written texts, starts, kind keys, problems. */
function seen(parsed: ParsedFile) {
  return {
    problems: parsed.problems,
    documents: parsed.documents.map((d) => ({
      value: d.value,
      own: Object.entries(d.value as object).map(([k]) => k),
      start: d.start,
      kind: d.locate(['kind'], 'key'),
      texts: paths(d.value).flatMap((path) => {
        const last = path.at(-1);
        if (last === undefined) return [];
        const holder = path
          .slice(0, -1)
          .reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], d.value);
        return [scalarString(holder as object, last)];
      }),
    })),
  };
}

/** The text read split between two threads gives what it gives read on one. */
function expectSameSplit(text: string, helper: YamlLoadHelper, file = 'f.yaml') {
  installYamlHelper(undefined);
  const whole = seen(parseManifestText(text, file));
  installYamlHelper(helper, 0);
  const split = seen(parseManifestText(text, file));
  expect(split).toEqual(whole);
}

function manifestFiles(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.ya?ml$/.test(name)) files.push(path);
    }
  };
  for (const dir of ['test/corpus', 'examples']) walk(dir);
  return files;
}

/** A bench-like file: a network, a bind mount and `n` containers, ~290 bytes each. */
function largeManifest(n: number, extra: (i: number) => string = () => ''): string {
  const docs = [
    'apiVersion: berth/v1\nkind: Network\nmetadata: {name: net}\nspec:\n  driver: bridge\n',
    'apiVersion: berth/v1\nkind: BindMount\nmetadata: {name: site}\nspec:\n  hostPath: "/tmp"\n  type: Directory\n',
  ];
  for (let i = 1; i <= n; i++)
    docs.push(
      `apiVersion: berth/v1\nkind: Container\nmetadata: {name: c${i}}\nspec:\n  image: localhost/berth-busybox:1\n  init: true\n  command: [sleep, "3600"]\n  env: {BENCH_MODE: "a"}\n  networks: [net]\n  mounts: [{bindMount: site, target: /srv, readOnly: true}]\n${extra(i)}`,
    );
  return docs.join('---\n');
}

afterEach(() => installYamlHelper(undefined));

describe('reading a large manifest on two threads', () => {
  it('gives every manifest of the corpus and the examples what one thread gives', () => {
    const helper = inThreadHelper();
    const files = manifestFiles();
    for (const file of files) expectSameSplit(readFileSync(file, 'utf8'), helper, file);
    expect(files.length).toBeGreaterThan(50);
    expect(helper.offers).toBeGreaterThanOrEqual(20);
  });

  it('gives a 1,000-object file, and one with problems in either half, what one thread gives', () => {
    const helper = inThreadHelper();
    const large = largeManifest(998);
    expect(large.length).toBeGreaterThan(200_000);
    expectSameSplit(large, helper);
    // A schema problem past the middle, a written-otherwise number, a YAML error, an anchor.
    expectSameSplit(
      largeManifest(998, (i) => (i === 900 ? '  restartPolicy: Sometimes\n' : '')),
      helper,
    );
    expectSameSplit(
      largeManifest(998, (i) => (i === 700 ? '  stopTimeout: 0x10\n' : '')),
      helper,
    );
    expectSameSplit(
      largeManifest(998, (i) => (i === 800 ? '  labels: {a: 1\n' : '')),
      helper,
    );
    expectSameSplit(
      largeManifest(998, (i) => (i === 100 ? '  labels: {a: 1\n' : '')),
      helper,
    );
    expectSameSplit(
      largeManifest(998, (i) => (i === 990 ? '  labels: &x {a: "1"}\n' : '')),
      helper,
    );
    // Not the last: an anchor leaves the whole file to the full parser before any split.
    expect(helper.offers).toBe(5);
  });

  it('gives generated manifest sets what one thread gives', () => {
    const helper = inThreadHelper();
    fc.assert(
      fc.property(abstractSet, (set) => expectSameSplit(toYaml(renderSet(set, PLAIN)), helper)),
      { numRuns: 60 },
    );
  });

  it('notices a helper whose documents differ from the text (the checks above can fail)', () => {
    const large = largeManifest(50);
    // One document fewer fails the fast path's span count: the full parser reads the file.
    expectSameSplit(
      large,
      inThreadHelper((values) => values.slice(1)),
    );
    const swapped = inThreadHelper(([a, b, ...rest]) => [b, a, ...rest]);
    expect(() => expectSameSplit(large, swapped)).toThrow();
    const renamed = inThreadHelper((values) => {
      (values[0] as { metadata: { name: string } }).metadata.name = 'other';
      return values;
    });
    expect(() => expectSameSplit(large, renamed)).toThrow();
  });

  it('reads the text itself when the helper gives nothing back', () => {
    const declining = { offers: 0, offer: () => () => undefined };
    expectSameSplit(largeManifest(50), declining);
  });

  it('splits at the separator line nearest the middle, never at one with text after it', () => {
    expect(separatorNear('a: 1\n---\nb: 2\n---\nc: 3\n')).toBe(14);
    expect(separatorNear('a: 1\n--- # two\nb: 2\n')).toBe(5);
    expect(separatorNear('a: 1\nb: 2\n---\r\nc: 3\n')).toBe(10);
    expect(separatorNear('a: 1\n--- b\nc: 2\n---x\n')).toBeUndefined();
    expect(separatorNear('a: 1\n')).toBeUndefined();
    expect(separatorNear('---\na: 1\n')).toBeUndefined();
  });
});

describe('reading the next file ahead on the helper thread', () => {
  it('hands each following file to the helper whole and loads what one thread loads', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'berth-read-ahead-'));
    try {
      // One network and bind mount (in the first file), 60 containers a file.
      const texts = [0, 1, 2].map((f) => {
        const text = largeManifest(60).replaceAll(/name: (c\d+)\b/g, `name: f${f}-$1`);
        return f === 0 ? text : text.split('---\n').slice(2).join('---\n');
      });
      texts.forEach((text, f) => writeFileSync(join(dir, `objects-${f}.yaml`), text));
      const load = () => loadManifests([dir]);
      installYamlHelper(undefined);
      const alone = await load();
      const helper = inThreadHelper();
      installYamlHelper(helper, 1000);
      const helped = await load();
      expect(alone.problems).toEqual([]);
      expect(alone.set.objects).toHaveLength(182);
      expect(helped.problems).toEqual([]);
      expect(helped.set.objects).toEqual(alone.set.objects);
      // The two files after the first went to the helper whole, and were taken back.
      expect(helper.texts.filter((t) => t === texts[1] || t === texts[2])).toHaveLength(2);
      expect(helper.taken).toBe(helper.offers);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("uses the helper's values for the text read ahead (the check above can fail)", () => {
    const text = largeManifest(20);
    const renamed = inThreadHelper((values) => {
      (values[2] as { metadata: { name: string } }).metadata.name = 'from-helper';
      return values;
    });
    installYamlHelper(renamed, 1000);
    parseAhead(text, 'f.yaml');
    const names = parseManifestText(text, 'f.yaml').documents.map(
      (d) => (d.value as { metadata: { name: string } }).metadata.name,
    );
    expect(names[2]).toBe('from-helper');
    expect(renamed.offers).toBe(1);
  });

  it('takes back a text read ahead that is not the one asked for, and reads that one itself', () => {
    const helper = inThreadHelper();
    installYamlHelper(helper, 1000);
    readAhead(largeManifest(20), 'a.yaml');
    const other = largeManifest(30);
    const parsed = seen(parseManifestText(other, 'b.yaml'));
    expect(helper.taken).toBeGreaterThanOrEqual(1);
    installYamlHelper(undefined);
    expect(parsed).toEqual(seen(parseManifestText(other, 'b.yaml')));
  });

  it('reads nothing ahead without a helper, below the split size, or for text the fast path leaves', () => {
    const helper = inThreadHelper();
    installYamlHelper(helper, 1000);
    parseAhead('a: 1\n', 'small.yaml');
    parseAhead(`${largeManifest(20)}---\nx: &a {b: 1}\n`, 'anchors.yaml');
    expect(helper.offers).toBe(0);
  });
});
