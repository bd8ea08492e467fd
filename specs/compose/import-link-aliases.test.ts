import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../index.js';
import { importCompose } from './index.js';
import { tempDir } from '../../test/support/temp-dir.js';

/**
 * F135: `links: [db:mysql]` becomes a network alias `mysql` of db on the networks the
 * linking service shares with it, said as a warning (every container there resolves it, not
 * only the linker); a loss where the alias would clash or has no network to live on.
 */

async function importLinks(services: string[]) {
  const dir = tempDir('berth-import-links-');
  writeFileSync(join(dir, 'compose.yaml'), ['services:', ...services, ''].join('\n'));
  const out = join(dir, 'out');
  const result = importCompose({ files: ['compose.yaml'], cwd: dir, outDir: out, profiles: [] });
  mkdirSync(out);
  for (const [name, text] of result.manifests) writeFileSync(join(out, name), text);
  const loaded = await loadManifests([out], { cwd: out, env: {} });
  const networksOf = (name: string) => {
    const c = loaded.set.objects.find((o) => o.kind === 'Container' && o.name === name);
    return c?.kind === 'Container'
      ? c.spec.networks.map((n) => `${n.network}:${(n.aliases ?? []).join(',')}`)
      : undefined;
  };
  return {
    losses: result.losses.map((l) => `${l.where.line}:${l.where.column} ${l.path}: ${l.why}`),
    warnings: result.warnings.map((w) => `${w.where.line}:${w.where.column} ${w.message}`),
    problems: loaded.problems.map((p) => `${p.message} [${p.code}]`),
    networksOf,
  };
}

const db = ['  db:', '    image: busybox'];

describe('berth import: link aliases (F135)', () => {
  it('puts the alias on the linked service on the default network, with a warning', async () => {
    const r = await importLinks([
      ...db,
      '  web:',
      '    image: busybox',
      '    links: [db:mysql, db]',
    ]);
    expect(r.losses).toEqual([]);
    expect(r.problems).toEqual([]);
    expect(r.networksOf('db')).toEqual(['default:mysql']);
    expect(r.networksOf('web')).toEqual(['default:']);
    expect(r.warnings).toEqual([
      "6:13 services.web.links[0]: alias mysql for db is written as a network alias of db on default: every container there resolves it, not only web (a Compose link alias is the linking container's own)",
    ]);
  });

  it('only on the networks both join', async () => {
    const r = await importLinks([
      '  db:',
      '    image: busybox',
      '    networks: [back, other]',
      '  web:',
      '    image: busybox',
      '    networks: [front, back]',
      '    links: ["db:mysql"]',
      'networks: {back: {}, other: {}, front: {}}',
    ]);
    expect(r.losses).toEqual([]);
    expect(r.networksOf('db')).toEqual(['back:mysql', 'other:']);
  });

  it('stays a loss where the alias clashes, two links disagree, or no network is shared', async () => {
    const clash = await importLinks([
      ...db,
      '  mysql:',
      '    image: busybox',
      '  cache:',
      '    image: busybox',
      '    networks: {default: {aliases: [kv]}}',
      '  web:',
      '    image: busybox',
      '    links: [db:mysql, db:kv]',
    ]);
    expect(clash.losses).toEqual([
      '11:13 services.web.links[0]: alias mysql for db: mysql is already called mysql; give db the alias on a network instead',
      '11:23 services.web.links[1]: alias kv for db: cache is already called kv; give db the alias on a network instead',
    ]);
    expect(clash.networksOf('db')).toEqual(['default:']);
    const twice = await importLinks([
      ...db,
      '  db2:',
      '    image: busybox',
      '  web:',
      '    image: busybox',
      '    links: [db:sql]',
      '  api:',
      '    image: busybox',
      '    links: [db2:sql]',
    ]);
    expect(twice.losses).toEqual([
      "8:13 services.web.links[0]: alias sql for db: another link names db's alias sql for another service",
      "11:13 services.api.links[0]: alias sql for db2: another link names db2's alias sql for another service",
    ]);
    const apart = await importLinks([
      '  db:',
      '    image: busybox',
      '    networks: [back]',
      '  web:',
      '    image: busybox',
      '    network_mode: none',
      '    links: [db:sql]',
      '  api:',
      '    image: busybox',
      '    networks: [front]',
      '    links: [db:sql]',
      'networks: {back: {}, front: {}}',
    ]);
    expect(apart.losses).toEqual([
      '8:13 services.web.links[0]: alias sql for db: with network_mode there is no network to put the alias on',
      '12:13 services.api.links[0]: alias sql for db: api and db join no network together',
    ]);
  });
});
