import { describe, expect, it } from 'vitest';
import { loadManifests } from '../index.js';

const manifest = (spec: string) =>
  `apiVersion: berth/v1\nkind: Container\nmetadata: {name: web}\nspec:\n  image: busybox:1\n${spec}`;

describe('interpolated numbers and booleans (Compose casts them)', () => {
  it('gives ${…} values the type the field wants', async () => {
    const spec =
      '  replicas: ${N:-2}\n  init: ${INIT}\n  resources:\n    cpus: "${C:-0.5}"\n  healthcheck:\n    command: [CMD, "true"]\n    retries: ${R:-3}\n  env:\n    N: ${N:-2}\n';
    for (const text of [
      manifest(spec),
      `${manifest(spec)}---\n${manifest('').replace('web', 'x')}`,
    ]) {
      const { problems, set } = await loadManifests(['-'], {
        stdin: text,
        env: { INIT: 'true' },
      });
      expect(problems).toEqual([]);
      const web = set.objects.find((o) => o.name === 'web-1');
      if (web?.kind !== 'Container') throw new Error('web-1 not loaded');
      expect(web.spec).toMatchObject({
        init: true,
        resources: { nanoCpus: 500_000_000 },
        env: { N: '2' },
      });
      expect(web.spec.healthcheck?.retries).toBe(3);
    }
  });

  it('leaves a hand-written quoted number, and text that is no number, a schema error', async () => {
    const { problems } = await loadManifests(['-'], {
      stdin: manifest('  replicas: "2"\n  init: ${INIT:-maybe}\n'),
      env: {},
    });
    expect(problems.map((p) => `${p.line}:${p.column} ${p.code}`)).toEqual([
      '6:13 E_SCHEMA',
      '7:9 E_SCHEMA',
    ]);
  });
});
