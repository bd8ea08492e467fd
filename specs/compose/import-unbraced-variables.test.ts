import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../index.js';
import { importCompose } from './index.js';
import { hasVariable } from './values.js';
import { tempDir } from '../../test/support/temp-dir.js';

describe('berth import: unbraced $VAR in typed fields (F193)', () => {
  it('is carried like ${VAR}, and the output validates with the .env values', async () => {
    const dir = tempDir('berth-import-unbraced-');
    writeFileSync(
      join(dir, 'compose.yaml'),
      [
        'services:',
        '  b:',
        '    image: localhost/x:1',
        '    healthcheck: {test: [CMD, "true"], interval: "$HI", retries: $HR, start_period: "$SP"}',
        '    stop_grace_period: $HI',
        '    deploy: {replicas: $HR}',
        '',
      ].join('\n'),
    );
    writeFileSync(join(dir, '.env'), 'HI=30s\nHR=5\nSP=600s\n');
    const out = tempDir('berth-import-unbraced-out-');
    const r = importCompose({ files: ['compose.yaml'], cwd: dir, outDir: out, profiles: [] });
    expect(r.losses).toEqual([]);
    for (const [name, text] of r.manifests) writeFileSync(join(out, name), text);
    writeFileSync(join(out, '.env'), r.dotEnv.text);
    const loaded = await loadManifests([out], { cwd: out, env: {} });
    expect(loaded.problems).toEqual([]);
    const b = loaded.set.objects.find((o) => o.kind === 'Container')?.spec;
    expect(b).toMatchObject({
      healthcheck: { intervalMs: 30_000, retries: 5, startPeriodMs: 600_000 },
      stopGracePeriodMs: 30_000,
      replicas: 5,
    });
  });

  it('a literal $$ is not a variable', () => {
    expect(['$HI', '${HI}', 'a$B', '$$HI', '$$', '5$', 'x$$y'].map(hasVariable)).toEqual([
      true,
      true,
      true,
      false,
      false,
      false,
      false,
    ]);
  });
});
