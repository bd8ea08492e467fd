import { describe, expect, it } from 'vitest';
import { loadManifests } from './index.js';

const container = (image: string) =>
  `apiVersion: berth/v1\nkind: Container\nmetadata: {name: web}\nspec:\n  image: ${image}\n`;

describe('problems found across the set name the variables that left a value blank', () => {
  it('an image tag a variable left blank says which variable', async () => {
    const { problems } = await loadManifests(['-'], {
      stdin: container('ghcr.io/owner/app:${TAG:-}'),
      env: {},
    });
    expect(problems.map((p) => `${p.line}:${p.column} ${p.code} ${p.message}`)).toEqual([
      '5:10 E_IMAGE_REF Container "web": spec.image "ghcr.io/owner/app:" is not an image reference: ' +
        'tag "" is not valid: letters, digits, _ . - (up to 128), not starting with . or -: ' +
        'variable TAG is not set',
    ]);
  });

  it('says nothing more where no variable was blank', async () => {
    const { problems } = await loadManifests(['-'], {
      stdin: container('ghcr.io/owner/app:${TAG:-x}:y'),
      env: {},
    });
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toMatch(/is not an image reference/);
    expect(problems[0]?.message).not.toMatch(/variable/);
  });
});
