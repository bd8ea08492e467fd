import { describe, expect, it } from 'vitest';
import { loadManifests } from './index.js';

describe('a Compose file among manifests (F804)', () => {
  const compose = 'services:\n  web:\n    image: nginx:${TAG}\n    ports: ["8080:80"]\n';

  it('is named as a Compose file, not reported for its unset variables', async () => {
    const { problems } = await loadManifests(['-'], { stdin: compose, env: {} });
    expect(problems.map((p) => `${p.line}:${p.column} ${p.code}`)).toEqual(['1:1 E_SCHEMA']);
    expect(problems[0]?.message).toMatch(/^a Compose file, not a berth manifest: .*berth import/);
  });

  it('a berth manifest with the same unset variable still reports it', async () => {
    const { problems } = await loadManifests(['-'], {
      stdin:
        'apiVersion: berth/v1\nkind: Container\nmetadata: {name: web}\nspec:\n  image: nginx:${TAG}\n',
      env: {},
    });
    expect(problems.map((p) => `${p.line}:${p.column} ${p.code}`)).toEqual(['5:16 E_UNSET_VAR']);
  });
});
