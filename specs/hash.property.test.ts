import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadManifests } from './index.js';
import { PLAIN, abstractSet, renderSet, spelling, toYaml } from './testing/manifests.arbitrary.js';

async function hashes(
  yaml: string,
): Promise<{ problems: string[]; hashes: Record<string, string> }> {
  const result = await loadManifests(['-'], { stdin: yaml, cwd: '/srv/app' });
  return {
    problems: result.problems.map((p) => `${p.line}:${p.column} ${p.code} ${p.message}`),
    hashes: Object.fromEntries(result.set.objects.map((o) => [`${o.kind}/${o.name}`, o.specHash])),
  };
}

describe('valid manifest sets (property)', () => {
  it('validate cleanly and hash the same under key reordering and equivalent spellings', async () => {
    await fc.assert(
      fc.asyncProperty(abstractSet, spelling, async (set, how) => {
        const plain = await hashes(toYaml(renderSet(set, PLAIN)));
        const spelled = await hashes(toYaml(renderSet(set, how)));
        expect(plain.problems).toEqual([]);
        expect(spelled.problems).toEqual([]);
        expect(spelled.hashes).toEqual(plain.hashes);
      }),
      { numRuns: 100 },
    );
  });

  it('hash differently when a container changes in a way that needs a recreate', async () => {
    await fc.assert(
      fc.asyncProperty(abstractSet, async (set) => {
        const before = await hashes(toYaml(renderSet(set, PLAIN)));
        const first = set.containers[0]!;
        const changed = {
          ...set,
          containers: [
            { ...first, env: [...first.env, ['ZZ_CHANGED', 'x'] as [string, string]] },
            ...set.containers.slice(1),
          ],
        };
        const after = await hashes(toYaml(renderSet(changed, PLAIN)));
        const key = `Container/${first.name}`;
        expect(after.hashes[key]).toBeDefined();
        expect(after.hashes[key]).not.toBe(before.hashes[key]);
      }),
      { numRuns: 30 },
    );
  });
});
