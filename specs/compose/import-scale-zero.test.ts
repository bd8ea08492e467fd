import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/support/temp-dir.js';
import { loadManifests } from '../index.js';
import { importCompose } from './index.js';

describe('berth import: scale: 0 and deploy.replicas: 0 (declared, none running)', () => {
  it('carry over losslessly as replicas: 0, validate, and a dependant waits for nothing', async () => {
    const dir = tempDir('berth-import-zero-');
    writeFileSync(
      join(dir, 'compose.yaml'),
      [
        'services:',
        '  db:',
        '    image: localhost/berth-busybox:1',
        '    scale: 0',
        '  worker:',
        '    image: localhost/berth-busybox:1',
        '    deploy: {replicas: 0}',
        '  web:',
        '    image: localhost/berth-busybox:1',
        '    depends_on: {db: {condition: service_healthy}}',
        '',
      ].join('\n'),
    );
    const result = importCompose({ files: ['compose.yaml'], cwd: dir, outDir: dir, profiles: [] });
    expect(result.losses).toEqual([]);
    const out = tempDir('berth-import-zero-out-');
    for (const [name, text] of result.manifests) writeFileSync(join(out, name), text);
    const loaded = await loadManifests([out], { cwd: out });
    expect(loaded.problems).toEqual([]);
    const containers = loaded.set.objects.flatMap((o) => (o.kind === 'Container' ? [o] : []));
    const byName = new Map(containers.map((c) => [c.name, c.spec]));
    expect(byName.get('db')?.replicas).toBe(0);
    expect(byName.get('worker')?.replicas).toBe(0);
    expect(byName.get('web')?.dependsOn).toEqual([]);
  });
});
