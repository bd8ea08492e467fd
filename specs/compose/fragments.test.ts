import { describe, expect, it } from 'vitest';
import { importLines } from '../../test/support/compose-imported.js';
import { ComposeInputError } from './index.js';

describe('networks a platform provides, volumes a platform declares (app-store fragments)', () => {
  it('an undeclared network imports as external, named as a loss at its reference', () => {
    const result = importLines([
      'services:',
      '  app:',
      '    image: localhost/berth-busybox:1',
      '    networks: [tipi_main_network]',
    ]);
    expect(
      result.losses.map((l) => `${l.where.line}:${l.where.column} ${l.path}: ${l.why}`),
    ).toEqual([
      '4:16 services.app.networks.tipi_main_network: network tipi_main_network is not declared in these Compose files: imported as an external network (used by name, never created); apply stops before any change until it exists — create it, or import with the file that declares it; runtipi creates it as runtipi_tipi_main_network: on a runtipi host, set spec.name: runtipi_tipi_main_network on the Network',
    ]);
    const byKey = new Map(result.objects.map((o) => [`${o.kind}/${o.name}`, o.spec]));
    expect(byKey.get('Network/tipi-main-network')).toEqual({
      external: true,
      name: 'tipi_main_network',
    });
  });

  it('names the engine name only of a platform network it knows (F310)', () => {
    const result = importLines([
      'services:',
      '  app:',
      '    image: localhost/berth-busybox:1',
      '    networks: [proxy]',
    ]);
    expect(result.losses.map((l) => l.why)).toEqual([
      'network proxy is not declared in these Compose files: imported as an external network (used by name, never created); apply stops before any change until it exists — create it, or import with the file that declares it',
    ]);
  });

  it('an undeclared volume becomes a project volume, with a warning at its first reference and no loss (Coolify)', () => {
    const result = importLines([
      'services:',
      '  app:',
      '    image: localhost/berth-busybox:1',
      '    volumes: [shared-media:/media]',
      '  worker:',
      '    image: localhost/berth-busybox:1',
      '    volumes: [shared-media:/media]',
    ]);
    expect(result.losses).toEqual([]);
    expect(result.warnings.map((w) => `${w.where.line}:${w.where.column} ${w.message}`)).toEqual([
      '4:15 services.app.volumes[0]: volume shared-media is not declared under volumes: in these Compose files (docker compose refuses this; Coolify declares it for the app): declared as a project volume, created empty on first apply',
    ]);
    const volume = result.objects.find((o) => o.kind === 'Volume');
    expect(volume).toMatchObject({ name: 'shared-media', spec: {}, from: { line: 4, column: 15 } });
    expect(result.manifests.get('volumes.yaml')).toContain(
      'not declared under volumes: in the Compose files: a project volume, as Coolify declares it',
    );
  });

  it('a name one typo from a declared one is still refused (F12), not made a volume', () => {
    expect(() =>
      importLines([
        'services:',
        '  db:',
        '    image: localhost/berth-busybox:1',
        '    volumes: [pgdata:/var/lib/data]',
        'volumes: {pg_data: {}}',
      ]),
    ).toThrow(ComposeInputError);
  });

  it('a second undeclared name is not taken for a typo of the first (coolify: rails-data, redis-data)', () => {
    const result = importLines([
      'services:',
      '  app:',
      '    image: localhost/berth-busybox:1',
      '    volumes: [rails-data:/app/storage]',
      '  redis:',
      '    image: localhost/berth-busybox:1',
      '    volumes: [redis-data:/data]',
    ]);
    const byKey = new Map(result.objects.map((o) => [`${o.kind}/${o.name}`, o.spec]));
    expect(byKey.get('Volume/rails-data')).toEqual({});
    expect(byKey.get('Volume/redis-data')).toEqual({});
    expect(result.losses).toEqual([]);
    expect(result.warnings.map((w) => w.message.split(':')[0])).toEqual([
      'services.app.volumes[0]',
      'services.redis.volumes[0]',
    ]);
  });
});
