import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadManifests } from './index.js';
import { PROBLEM_CODES } from './problems.js';
import { PLAIN, abstractSet, renderSet, toYaml } from './testing/manifests.arbitrary.js';

type Path = (string | number)[];

function paths(value: unknown, prefix: Path = []): Path[] {
  if (value === null || typeof value !== 'object') return [prefix];
  const children = Array.isArray(value)
    ? value.map((v, i) => [i, v] as const)
    : Object.entries(value);
  return [prefix, ...children.flatMap(([k, v]) => paths(v, [...prefix, k]))];
}

function setAt(
  root: unknown,
  path: Path,
  replace: (old: unknown) => unknown | typeof DELETE,
): unknown {
  if (path.length === 0) {
    const next = replace(root);
    return next === DELETE ? null : next;
  }
  const [head, ...rest] = path;
  const copy = (Array.isArray(root) ? [...root] : { ...(root as object) }) as Record<
    string | number,
    unknown
  >;
  if (rest.length === 0) {
    const next = replace(copy[head!]);
    if (next === DELETE) {
      if (Array.isArray(copy)) (copy as unknown[]).splice(head as number, 1);
      else delete copy[head!];
    } else copy[head!] = next;
    return copy;
  }
  copy[head!] = setAt(copy[head!], rest, replace);
  return copy;
}

const DELETE = Symbol('delete');

const strangeValue = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(
    '',
    '-1',
    '99999',
    '1m30x',
    '10.0.0.0/99',
    '/etc',
    '../../proc',
    'a b',
    'Ünïcode',
    '${X}',
  ),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 4 }), fc.string(), { maxKeys: 2 }),
);

const mutation = fc.oneof(
  fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('replace' as const), at: fc.nat(), value: strangeValue }),
  fc.record({ op: fc.constant('retype' as const), at: fc.nat() }),
);

function retype(value: unknown): unknown {
  if (typeof value === 'string') return Number.isNaN(Number(value)) ? [value] : Number(value);
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 0;
  if (Array.isArray(value)) return Object.fromEntries(value.map((v, i) => [String(i), v]));
  if (value && typeof value === 'object') return Object.values(value);
  return 'null';
}

const textCorruption = fc.record({
  at: fc.nat(),
  remove: fc.nat({ max: 5 }),
  insert: fc.oneof(
    fc.string({ maxLength: 6 }),
    fc.constantFrom(
      ':',
      '- ',
      '{',
      ']',
      '&a',
      '*a',
      '!tag ',
      '\t',
      '\n  ',
      '"',
      "'",
      '---\n',
      '\0',
      '<<: *a',
    ),
  ),
});

async function expectGracefulLoad(yaml: string): Promise<void> {
  const result = await loadManifests(['-'], { stdin: yaml, cwd: '/srv/app' });
  // Either problems or a valid result, never an exception; problems are well formed.
  expect(result.problems.length > 0 || result.set.objects.length > 0).toBe(true);
  for (const p of result.problems) {
    expect(Object.keys(PROBLEM_CODES)).toContain(p.code);
    expect(p.line).toBeGreaterThanOrEqual(1);
    expect(p.column).toBeGreaterThanOrEqual(1);
    expect(p.message).not.toBe('');
  }
}

// 100 runs each, fast-check's default (200 each since the file was written, with no record
// of a failure found; the doubling cost about 19 s of CI). Every run loads a generated set
// of several kinds after up to three mutations.
const RUNS = 100;

describe('mutated manifests (property)', () => {
  it('never throw when a field is deleted, replaced or retyped', async () => {
    await fc.assert(
      fc.asyncProperty(
        abstractSet,
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        async (set, ops) => {
          let docs: unknown = renderSet(set, PLAIN);
          for (const op of ops) {
            const all = paths(docs).filter((p) => p.length > 1);
            const path = all[op.at % all.length]!;
            docs = setAt(docs, path, (old) =>
              op.op === 'delete' ? DELETE : op.op === 'replace' ? op.value : retype(old),
            );
          }
          await expectGracefulLoad(toYaml(docs as unknown[]));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('never throw when the YAML text is corrupted', async () => {
    await fc.assert(
      fc.asyncProperty(
        abstractSet,
        fc.array(textCorruption, { minLength: 1, maxLength: 3 }),
        async (set, cuts) => {
          let text = toYaml(renderSet(set, PLAIN));
          for (const cut of cuts) {
            const at = cut.at % (text.length + 1);
            text = text.slice(0, at) + cut.insert + text.slice(at + cut.remove);
          }
          const result = loadManifests(['-'], { stdin: text, cwd: '/srv/app' });
          await expect(result).resolves.toBeDefined();
          const { problems } = await result;
          for (const p of problems) expect(Object.keys(PROBLEM_CODES)).toContain(p.code);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
