import { importAndLoad as importAndLoaded } from '../../test/support/compose-imported.js';
import { describe, expect, it } from 'vitest';

/** Imports `compose` (and `dotEnv`), loads the output as `berth validate` does. */
async function importAndLoad(compose: string, dotEnv = '') {
  const { result, loaded } = await importAndLoaded(compose, { dotEnv });
  const specs = new Map(
    loaded.set.objects.flatMap((o) => (o.kind === 'Container' ? [[o.name, o.spec] as const] : [])),
  );
  return { result, loaded, specs };
}

describe('berth import: sizes and limits written with variables', () => {
  it('keeps ${…}, spells a default in berth’s units, and validates to Compose’s values', async () => {
    const { result, loaded, specs } = await importAndLoad(
      [
        'services:',
        '  web:',
        '    image: busybox:1.36',
        '    mem_limit: ${MEM:-2g}',
        '    shm_size: ${SHM:-512m}',
        '    ulimits: {nofile: "${NOFILE:-1024}"}',
        '    tmpfs: ["/run:size=${TMPSZ:-64m}"]',
        '  big:',
        '    image: busybox:1.36',
        '    deploy: {resources: {limits: {memory: "${BIG:-8G}"}}}',
        '',
      ].join('\n'),
      'SHM=1g\n',
    );
    expect(result.losses).toEqual([]);
    const web = result.manifests.get('web.yaml') ?? '';
    expect(web).toContain('memory: ${MEM:-2Gi}');
    expect(web).toContain('shmSize: ${SHM:-512Mi}');
    expect(result.manifests.get('big.yaml')).toContain('memory: ${BIG:-8Gi}');
    expect(loaded.problems).toEqual([]);
    expect(specs.get('web')).toMatchObject({
      resources: { memoryBytes: 2 * 2 ** 30 },
      shmSizeBytes: 2 ** 30,
      ulimits: { nofile: { soft: 1024, hard: 1024 } },
      mounts: [{ type: 'tmpfs', target: '/run', sizeBytes: 64 * 2 ** 20 }],
    });
    // Compose's 8G is 8 GiB; berth's own 8G would be 8·10⁹ bytes.
    expect(specs.get('big')?.resources?.memoryBytes).toBe(8 * 2 ** 30);
  });

  it('a size the project’s .env gives means what it means to docker compose (F351)', async () => {
    const { result, loaded, specs } = await importAndLoad(
      [
        'services:',
        '  web:',
        '    image: busybox:1.36',
        '    mem_limit: ${MEM}',
        '    shm_size: ${SHM:-64m}',
        '    deploy: {resources: {reservations: {memory: "${RES}"}}}',
        '',
      ].join('\n'),
      'MEM=2G\nSHM=512M\nRES=8192k\n',
    );
    expect(result.losses).toEqual([]);
    expect(loaded.problems).toEqual([]);
    expect(specs.get('web')).toMatchObject({
      resources: { memoryBytes: 2 * 2 ** 30, memoryReservationBytes: 8192 * 2 ** 10 },
      shmSizeBytes: 512 * 2 ** 20,
    });
  });

  it('carries PIDs limits written with a variable, leaves out the engine’s “no limit”', async () => {
    const { result, loaded, specs } = await importAndLoad(
      [
        'services:',
        '  a:',
        '    image: busybox:1.36',
        '    pids_limit: ${PIDS:-4096}',
        '  b:',
        '    image: busybox:1.36',
        '    deploy: {resources: {limits: {pids: "${P:-100}"}}}',
        '  c:',
        '    image: busybox:1.36',
        '    deploy: {resources: {limits: {pids: -1}}}',
        '  d:',
        '    image: busybox:1.36',
        '    pids_limit: 0',
        '',
      ].join('\n'),
    );
    expect(result.losses).toEqual([]);
    expect(result.manifests.get('b.yaml')).not.toContain('nan');
    expect(loaded.problems).toEqual([]);
    expect(specs.get('a')?.resources?.pids).toBe(4096);
    expect(specs.get('b')?.resources?.pids).toBe(100);
    expect(specs.get('c')?.resources?.pids).toBeUndefined();
    expect(specs.get('d')?.resources?.pids).toBeUndefined();
  });
});
