import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/support/temp-dir.js';
import { loadManifests } from '../index.js';

/**
 * F764: a Secret value under 4 characters is not searched for in container output (F623); the
 * user is told so when the manifests are read, at the value's line, never with the value.
 */
const valueOf = (kind: string, name: string, spec: string) =>
  `apiVersion: berth/v1\nkind: ${kind}\nmetadata: {name: ${name}}\nspec: ${spec}\n`;

describe('a short Secret value', () => {
  it('is warned of at its line (env, file), a longer one and a Config are not', async () => {
    const dir = tempDir('berth-short-');
    writeFileSync(join(dir, 'pin.txt'), 'x9\n');
    const file = join(dir, 'set.yaml');
    writeFileSync(
      file,
      [
        valueOf('Secret', 'b', '{env: PIN}'),
        valueOf('Secret', 'c', '{file: ./pin.txt}'),
        valueOf('Secret', 'd', '{env: LONG}'),
        valueOf('Config', 'e', '{content: "ab"}'),
      ].join('---\n'),
    );
    const { problems, warnings } = await loadManifests([file], {
      env: { PIN: '12', LONG: 'long-enough' },
    });
    expect(problems).toEqual([]);
    expect(warnings.map((w) => [w.code, w.line])).toEqual([
      ['W_SECRET_SHORT', 4],
      ['W_SECRET_SHORT', 9],
    ]);
    expect(warnings[0]!.message).toMatch(
      /spec\.env holds a value under 4 characters: berth never prints it, but does not search container output/,
    );
    for (const w of warnings) expect(w.message).not.toMatch(/12|x9/);
  });
});
