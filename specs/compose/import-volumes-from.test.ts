import { importAndLoad } from '../../test/support/compose-imported.js';
import { describe, expect, it } from 'vitest';

/**
 * `volumes_from` (espocrm's daemon and websocket services in docker-library's stack and
 * coolify's template) as the engine's VolumesFrom gives it: the other service's volumes and
 * binds at the same paths, `:ro` read-only, the container's own mounts winning.
 */
async function imported(lines: string[]) {
  const { result, loaded } = await importAndLoad([...lines, ''].join('\n'));
  const mounts = (name: string) => {
    const c = loaded.set.objects.find((o) => o.kind === 'Container' && o.name === name);
    return c?.kind === 'Container'
      ? c.spec.mounts.map((m) =>
          [
            m.type,
            'volume' in m ? m.volume : 'bindMount' in m ? m.bindMount : '',
            m.target,
            m.type !== 'tmpfs' && 'readOnly' in m && m.readOnly ? 'ro' : 'rw',
          ].join(' '),
        )
      : undefined;
  };
  return {
    losses: result.losses.map((l) => `${l.where.line}:${l.where.column} ${l.path}: ${l.why}`),
    warnings: result.warnings.map((w) => `${w.where.line}:${w.where.column} ${w.message}`),
    problems: loaded.problems.map((p) => `${p.message} [${p.code}]`),
    mounts,
  };
}

describe('berth import: volumes_from', () => {
  it('mounts the other service’s volumes, binds and anonymous volumes at the same paths; tmpfs stays its own', async () => {
    const got = await imported([
      'services:',
      '  app:',
      '    image: busybox:1',
      '    volumes: [data:/var/www/html, ./conf:/conf, /cache]',
      '    tmpfs: [/run]',
      '  daemon:',
      '    image: busybox:1',
      '    volumes_from: [app]',
      'volumes: {data: {}}',
    ]);
    expect(got.losses).toEqual([]);
    expect(got.problems).toEqual([]);
    expect(got.mounts('daemon')).toEqual(got.mounts('app')?.filter((m) => !m.startsWith('tmpfs')));
    expect(got.mounts('daemon')).toHaveLength(3);
    expect(got.warnings.filter((w) => w.includes('volumes_from'))).toEqual([
      expect.stringMatching(
        /^8:20 services\.daemon\.volumes_from\[0\]: the mounts app declares are written into daemon; volumes only its image declares/,
      ),
    ]);
  });

  it(':ro makes them read-only, :rw read-write; the service’s own mount on a path wins', async () => {
    const got = await imported([
      'services:',
      '  app:',
      '    image: busybox:1',
      '    volumes: [data:/data, "logs:/logs:ro"]',
      '  ro:',
      '    image: busybox:1',
      '    volumes_from: ["app:ro"]',
      '    volumes: [own:/data]',
      '  rw:',
      '    image: busybox:1',
      '    volumes_from: ["app:rw"]',
      'volumes: {data: {}, logs: {}, own: {}}',
    ]);
    expect(got.problems).toEqual([]);
    expect(got.mounts('ro')).toEqual(['volume own /data rw', 'volume logs /logs ro']);
    expect(got.mounts('rw')).toEqual(['volume data /data rw', 'volume logs /logs rw']);
  });

  it('follows a chain (a from b from c), declared in any order', async () => {
    const got = await imported([
      'services:',
      '  a: {image: "busybox:1", volumes_from: [b]}',
      '  b: {image: "busybox:1", volumes_from: [c], volumes: [bv:/b]}',
      '  c: {image: "busybox:1", volumes: [cv:/c]}',
      'volumes: {bv: {}, cv: {}}',
    ]);
    expect(got.problems).toEqual([]);
    expect(got.mounts('a')).toEqual(['volume bv /b rw', 'volume cv /c rw']);
  });

  it('a container outside the project stays a loss', async () => {
    const got = await imported([
      'services:',
      '  a: {image: "busybox:1", volumes_from: ["container:other_db_1"]}',
    ]);
    expect(got.losses).toEqual([
      '2:42 services.a.volumes_from[0]: a container outside the project: berth mounts declared objects only',
    ]);
  });
});
