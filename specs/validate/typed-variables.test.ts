import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadManifests } from '../index.js';
import { SIZE_PLACES } from './typed-variables.js';

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

describe('interpolated sizes and ulimits written for Compose', () => {
  const load = (spec: string, env: NodeJS.ProcessEnv) =>
    loadManifests(['-'], { stdin: manifest(spec), env });
  const spec = [
    '  shmSize: ${SHM:-512m}',
    '  resources: {memory: "${MEM}", memorySwap: "${SWAP:-3gb}", memoryReservation: "${R:-2G}"}',
    '  ulimits: {nofile: "${NOFILE:-1024}", nproc: {soft: "${S:-10}", hard: "${H:-20}"}}',
    '  mounts: [{tmpfs: /run, size: "${TMP:-64m}"}]',
    '',
  ].join('\n');

  it('read a size in Docker’s units as Docker does, and a ulimit as a number', async () => {
    const { problems, set } = await load(spec, { MEM: '2g' });
    expect(problems).toEqual([]);
    const web = set.objects.find((o) => o.kind === 'Container');
    if (web?.kind !== 'Container') throw new Error('web not loaded');
    expect(web.spec.shmSizeBytes).toBe(512 * 2 ** 20);
    expect(web.spec.resources).toMatchObject({
      memoryBytes: 2 * 2 ** 30,
      memorySwapBytes: 3 * 2 ** 30,
      // Out of a variable, 2G is Docker's 2G: 2 GiB (F351).
      memoryReservationBytes: 2 * 2 ** 30,
    });
    expect(web.spec.ulimits).toEqual({
      nofile: { soft: 1024, hard: 1024 },
      nproc: { soft: 10, hard: 20 },
    });
    expect(web.spec.mounts[0]).toMatchObject({ sizeBytes: 64 * 2 ** 20 });
  });

  it('leave hand-written Docker units and sizes that are none refused', async () => {
    const written = await load('  shmSize: 512m\n  ulimits: {nofile: "1024x"}\n', {});
    expect(written.problems.map((p) => `${p.line}:${p.column} ${p.code}`)).toEqual([
      '6:12 E_QUANTITY',
      '7:21 E_SCHEMA',
    ]);
    const none = await load('  shmSize: ${SHM}\n', { SHM: 'lots' });
    expect(none.problems.map((p) => p.code)).toEqual(['E_QUANTITY']);
  });
});

describe('a size out of a variable means what it means to Docker (F351)', () => {
  const load = (spec: string, env: NodeJS.ProcessEnv) =>
    loadManifests(['-'], { stdin: manifest(spec), env });
  const resources = async (spec: string, env: NodeJS.ProcessEnv) => {
    const { problems, set } = await load(spec, env);
    expect(problems).toEqual([]);
    const web = set.objects.find((o) => o.kind === 'Container');
    if (web?.kind !== 'Container') throw new Error('web not loaded');
    return web.spec;
  };

  it('upper-case units and k are powers of 1024, as go-units RAMInBytes reads them', async () => {
    const spec = await resources(
      '  shmSize: ${SHM}\n  resources: {memory: "${MEM}", memoryReservation: "${R:-512M}"}\n  mounts: [{tmpfs: /run, size: "${T}"}]\n',
      { MEM: '2G', SHM: '512k', T: '1.5G' },
    );
    expect(spec.resources).toMatchObject({
      memoryBytes: 2 * 2 ** 30,
      memoryReservationBytes: 512 * 2 ** 20,
    });
    expect(spec.shmSizeBytes).toBe(512 * 1024);
    expect(spec.mounts[0]).toMatchObject({ sizeBytes: 1.5 * 2 ** 30 });
  });

  it('a size written in the manifest keeps berth’s meaning', async () => {
    const spec = await resources('  resources: {memory: 2G}\n  shmSize: 512k\n', {});
    expect(spec.resources?.memoryBytes).toBe(2e9);
    expect(spec.shmSizeBytes).toBe(512e3);
  });

  it('every size field of the Container schema is read so', () => {
    const schema = readFileSync(
      join(import.meta.dirname, '../../schemas/container.schema.json'),
      'utf8',
    );
    expect(schema.match(/\$defs\/quantity"/g)).toHaveLength(SIZE_PLACES.length);
  });
});

describe('interpolated enum values in Compose’s words (F136)', () => {
  const image = (policy: string) =>
    `apiVersion: berth/v1\nkind: Image\nmetadata: {name: app}\nspec:\n  ref: busybox:1\n  pullPolicy: ${policy}\n`;
  const load = (stdin: string, env: NodeJS.ProcessEnv = {}) => loadManifests(['-'], { stdin, env });

  it('take berth’s spelling: restart and pull policies written for Compose', async () => {
    const cases: [string, NodeJS.ProcessEnv, string][] = [
      ['${RESTART_POLICY:-unless-stopped}', {}, 'Always'],
      ['${RESTART_POLICY:-unless-stopped}', { RESTART_POLICY: 'no' }, 'Never'],
      ['${RESTART_POLICY:-unless-stopped}', { RESTART_POLICY: 'on-failure' }, 'OnFailure'],
      ['${RESTART_POLICY:-unless-stopped}', { RESTART_POLICY: 'Never' }, 'Never'],
    ];
    for (const [written, env, want] of cases) {
      const { problems, set } = await load(manifest(`  restartPolicy: ${written}\n`), env);
      expect(problems).toEqual([]);
      const web = set.objects.find((o) => o.kind === 'Container');
      expect(web?.kind === 'Container' && web.spec.restartPolicy).toBe(want);
    }
    for (const [env, want] of [
      [{}, 'Always'],
      [{ PULL_POLICY: 'missing' }, 'IfNotPresent'],
    ] as const) {
      const { problems, set } = await load(image('${PULL_POLICY:-always}'), env);
      expect(problems).toEqual([]);
      const app = set.objects.find((o) => o.kind === 'Image');
      expect(app?.kind === 'Image' && app.spec.pullPolicy).toBe(want);
    }
  });

  it('a hand-written Compose word, or a variable set to no known word, is still a schema error', async () => {
    const hand = await load(manifest('  restartPolicy: unless-stopped\n'));
    expect(hand.problems.map((p) => `${p.line}:${p.column} ${p.code}`)).toEqual(['6:18 E_SCHEMA']);
    const other = await load(image('${PULL_POLICY:-always}'), { PULL_POLICY: 'daily' });
    expect(other.problems.map((p) => p.code)).toEqual(['E_SCHEMA']);
  });
});
