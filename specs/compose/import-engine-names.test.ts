import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../index.js';
import { importCompose } from './index.js';
import { tempDir } from '../../test/support/temp-dir.js';

/**
 * Compose `networks.X.name` / `volumes.X.name` (F134: 99 of 2,255 app-store files, 41 of 124
 * in the second corpus) are carried as the engine-name override `spec.name`, as written.
 */
describe('berth import: networks and volumes with a name of their own (F134)', () => {
  it('carries name: as spec.name, variables kept, losslessly; the output validates', async () => {
    const dir = tempDir('berth-import-names-');
    writeFileSync(
      join(dir, 'compose.yaml'),
      [
        'services:',
        '  web:',
        '    image: busybox',
        '    networks: [public, default]',
        '    volumes: [data:/data]',
        'networks:',
        '  public: {name: public}',
        '  default: {name: "${NET_PREFIX:-shop}_default"}',
        'volumes:',
        '  data: {name: "${VOL_NAME:-shop-data}"}',
        '',
      ].join('\n'),
    );
    const out = join(dir, 'out');
    const result = importCompose({ files: ['compose.yaml'], cwd: dir, outDir: out, profiles: [] });
    expect(result.losses).toEqual([]);
    const text = [...result.manifests.values()].join('\n');
    expect(text).toContain('name: public');
    expect(text).toContain('name: ${NET_PREFIX:-shop}_default');
    expect(text).toContain('name: ${VOL_NAME:-shop-data}');
    mkdirSync(out);
    for (const [name, manifest] of result.manifests) writeFileSync(join(out, name), manifest);
    const loaded = await loadManifests([out], { cwd: out, env: { VOL_NAME: 'from-env' } });
    expect(loaded.problems).toEqual([]);
    const names = Object.fromEntries(
      loaded.set.objects.flatMap((o) =>
        o.kind === 'Network' || o.kind === 'Volume' ? [[`${o.kind}/${o.name}`, o.spec.name]] : [],
      ),
    );
    expect(names).toEqual({
      'Network/public': 'public',
      'Network/default': 'shop_default',
      'Volume/data': 'from-env',
    });
  });
});

describe('berth import: docker compose’s volume names (F160)', () => {
  it('warns that a named volume’s data is in <project>_<name> under Compose, with what keeps it', () => {
    const dir = tempDir('berth-import-f160-');
    writeFileSync(
      join(dir, 'compose.yaml'),
      [
        'name: shop',
        'services:',
        '  db:',
        '    image: busybox',
        '    volumes: [dbdata:/data, fixed:/fixed, /anon]',
        'volumes:',
        '  dbdata:',
        '  fixed: {name: shared-data}',
        '',
      ].join('\n'),
    );
    const out = join(dir, 'out');
    const result = importCompose({ files: ['compose.yaml'], cwd: dir, outDir: out, profiles: [] });
    expect(result.losses).toEqual([]);
    expect(result.warnings.map((w) => `${w.where.line}:${w.where.column} ${w.message}`)).toEqual([
      "7:3 volumes.dbdata: docker compose keeps this volume's data in shop_dbdata; berth creates shop-dbdata, empty. Moving a running Compose project: declare the Volume {external: true, name: shop_dbdata} to keep using that data (berth never adopts docker compose's volume)",
    ]);
  });
});
