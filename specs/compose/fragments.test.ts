import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/support/temp-dir.js';
import { ComposeInputError, importCompose } from './index.js';

function imported(lines: string[]) {
  const dir = tempDir('berth-fragments-');
  writeFileSync(join(dir, 'compose.yaml'), [...lines, ''].join('\n'));
  return importCompose({
    files: ['compose.yaml'],
    cwd: dir,
    outDir: join(dir, 'out'),
    profiles: [],
  });
}

describe('networks and volumes a platform provides (app-store fragments)', () => {
  it('import as external objects, each named as a loss at its reference', () => {
    const result = imported([
      'services:',
      '  app:',
      '    image: localhost/berth-busybox:1',
      '    volumes: [shared-media:/media]',
      '    networks: [tipi_main_network]',
    ]);
    expect(
      result.losses.map((l) => `${l.where.line}:${l.where.column} ${l.path}: ${l.why}`),
    ).toEqual([
      '4:15 services.app.volumes[0]: volume shared-media is not declared in these Compose files: imported as an external volume (used by name, never created); apply stops before any change until it exists — create it, or import with the file that declares it',
      '5:16 services.app.networks.tipi_main_network: network tipi_main_network is not declared in these Compose files: imported as an external network (used by name, never created); apply stops before any change until it exists — create it, or import with the file that declares it',
    ]);
    const byKey = new Map(result.objects.map((o) => [`${o.kind}/${o.name}`, o.spec]));
    expect(byKey.get('Network/tipi-main-network')).toEqual({
      external: true,
      name: 'tipi_main_network',
    });
    expect(byKey.get('Volume/shared-media')).toEqual({ external: true, name: 'shared-media' });
  });

  it('a name one typo from a declared one is still refused (F12), not made external', () => {
    expect(() =>
      imported([
        'services:',
        '  db:',
        '    image: localhost/berth-busybox:1',
        '    volumes: [pgdata:/var/lib/data]',
        'volumes: {pg_data: {}}',
      ]),
    ).toThrow(ComposeInputError);
  });

  it('a second undeclared name is not taken for a typo of the first (coolify: rails-data, redis-data)', () => {
    const result = imported([
      'services:',
      '  app:',
      '    image: localhost/berth-busybox:1',
      '    volumes: [rails-data:/app/storage]',
      '  redis:',
      '    image: localhost/berth-busybox:1',
      '    volumes: [redis-data:/data]',
    ]);
    const byKey = new Map(result.objects.map((o) => [`${o.kind}/${o.name}`, o.spec]));
    expect(byKey.get('Volume/rails-data')).toEqual({ external: true, name: 'rails-data' });
    expect(byKey.get('Volume/redis-data')).toEqual({ external: true, name: 'redis-data' });
    expect(result.losses.map((l) => l.path)).toEqual([
      'services.app.volumes[0]',
      'services.redis.volumes[0]',
    ]);
  });
});
