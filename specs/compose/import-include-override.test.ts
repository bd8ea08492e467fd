import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importCompose } from './index.js';
import { tempDir } from '../../test/support/temp-dir.js';

/**
 * compose-go since November 2025 ("Allow importing compose file to override resource
 * definition"): a service, volume or network the including file defines as well as an
 * included file is merged, the including file's fields over the included one's, as an
 * override file is (wger's docker-compose.yml adds `shm_size` and `logging` to the `db`
 * of its included services/postgres.yaml). Before, both Compose and berth refused it.
 */

function imported(files: Record<string, string>) {
  const dir = tempDir('berth-include-override-');
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  const r = importCompose({
    files: ['compose.yaml'],
    cwd: dir,
    outDir: join(dir, 'out'),
    profiles: [],
  });
  const spec = (kind: string, name: string) =>
    r.objects.find((o) => o.kind === kind && o.name === name)?.spec as Record<string, unknown>;
  return { r, spec };
}

describe('berth import: the including file overrides what it includes (compose-go include merge)', () => {
  it("merges the including file's fields over the included service and volume", () => {
    const { r, spec } = imported({
      'compose.yaml': [
        'services:',
        '  db:',
        '    shm_size: 256mb',
        '    environment: [TZ=Europe/Berlin]',
        '  web:',
        '    image: busybox:1.36',
        '    depends_on: [db]',
        'volumes:',
        '  data: {labels: {keep: "yes"}}',
        'include:',
        '  - path: ./services/postgres.yaml',
        '',
      ].join('\n'),
      'services/postgres.yaml': [
        'services:',
        '  db:',
        '    image: postgres:15-alpine',
        '    environment: [POSTGRES_DB=app]',
        '    volumes: [data:/var/lib/postgresql/data]',
        'volumes:',
        '  data: {}',
        '',
      ].join('\n'),
    });
    expect(r.losses).toEqual([]);
    expect(spec('Container', 'db')).toMatchObject({
      image: 'postgres:15-alpine',
      shmSize: '256Mi',
      env: { POSTGRES_DB: 'app', TZ: 'Europe/Berlin' },
      mounts: [{ volume: 'data', target: '/var/lib/postgresql/data' }],
    });
    expect(r.objects.filter((o) => o.kind === 'Volume').map((o) => o.name)).toEqual(['data']);
  });
});
