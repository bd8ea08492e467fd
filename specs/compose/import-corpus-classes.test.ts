// Classes of real Compose files (app stores, self-hosting collections) that import refused,
// lost or wrote invalid, each fixed as Compose reads them (bench/NOTES.md, import corpus).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importLines } from '../../test/support/compose-imported.js';
import { tempDir } from '../../test/support/temp-dir.js';
import { loadManifests } from '../index.js';
import type { ContainerObject } from '../model.js';
import { formatProblem } from '../problems.js';
import { ComposeInputError, importCompose } from './index.js';

/** Writes the output beside `.env` text `dotEnv` and loads it as `berth validate` does. */
async function validated(result: ReturnType<typeof importCompose>, dotEnv = '') {
  const out = tempDir('berth-corpus-classes-out-');
  mkdirSync(out, { recursive: true });
  for (const [name, text] of result.manifests) writeFileSync(join(out, name), text);
  writeFileSync(join(out, '.env'), dotEnv);
  const loaded = await loadManifests([out], { cwd: out });
  const container = (name: string) =>
    (loaded.set.objects.find((o) => o.kind === 'Container' && o.name === name) as ContainerObject)
      .spec;
  return { problems: loaded.problems.map(formatProblem), container };
}

function spec(result: ReturnType<typeof importCompose>, kind: string, name: string) {
  return result.objects.find((o) => o.kind === kind && o.name === name)?.spec;
}

/** The refusal of `lines` as `file:line:col: message`. */
function refusal(lines: string[]): string {
  try {
    importLines(lines);
  } catch (e) {
    if (e instanceof ComposeInputError)
      return `${e.where.file}:${e.where.line}:${e.where.column}: ${e.message}`;
    throw e;
  }
  throw new Error('imported without a refusal');
}

describe('YAML as Compose reads it', () => {
  it('merges a tagged merge key (!!merge <<, as yq writes it) like a plain one', () => {
    const result = importLines([
      'x-common: &common',
      '  restart: "no"',
      '  user: "1000"',
      'services:',
      '  app:',
      '    !!merge <<: *common',
      '    image: localhost/berth-busybox:1',
    ]);
    expect(result.losses).toEqual([]);
    expect(spec(result, 'Container', 'app')).toMatchObject({
      restartPolicy: 'Never',
      user: '1000',
    });
  });

  it('refuses a merge of a list of strings, and a list field written as a mapping, instead of failing', () => {
    const base = ['services:', '  a:', '    image: localhost/berth-busybox:1'];
    expect(
      refusal([
        ...base,
        '    volumes: &v [data:/data]',
        '  b:',
        '    image: x:1',
        '    volumes:',
        '      <<: *v',
      ]),
    ).toBe('compose.yaml:8:7: map merge requires map or sequence of maps as the value');
    expect(refusal([...base, '    links: {db: db}'])).toBe(
      'compose.yaml:4:12: services.a.links: must be a list',
    );
  });
});

describe('booleans as compose-go casts them', () => {
  it('carries a variable or a YAML 1.1 word where Compose wants a boolean; validate casts it', async () => {
    const result = importLines([
      'services:',
      '  app:',
      '    image: localhost/berth-busybox:1',
      '    read_only: ${READ_ONLY:-true}',
      '    init: "yes"',
      '    tty: "${TTY}"',
      '    volumes:',
      '      - {type: volume, source: data, target: /data, read_only: "${RO:-on}", volume: {nocopy: "true"}}',
      'volumes: {data: {}}',
    ]);
    expect(result.losses).toEqual([]);
    expect(spec(result, 'Container', 'app')).toMatchObject({
      readOnlyRootFilesystem: '${READ_ONLY:-true}',
      init: true,
      tty: '${TTY}',
      mounts: [{ volume: 'data', target: '/data', readOnly: '${RO:-on}', noCopy: true }],
    });
    const { problems, container } = await validated(result, 'TTY=False\n');
    expect(problems).toEqual([]);
    expect(container('app')).toMatchObject({
      readOnlyRootFilesystem: true,
      init: true,
      mounts: [{ volume: 'data', target: '/data', readOnly: true, noCopy: true }],
    });
    expect(container('app').tty ?? false).toBe(false);
  });
});

describe('external: false and "true" as compose-go reads them', () => {
  it('takes external: false as not external (no loss) and "true" as external', () => {
    const result = importLines([
      'services:',
      '  app:',
      '    image: localhost/berth-busybox:1',
      '    networks: [coolify, shared]',
      '    volumes: [data:/data]',
      'networks:',
      '  coolify: {driver: bridge, external: false}',
      '  shared: {external: "true"}',
      'volumes:',
      '  data: {external: false}',
    ]);
    expect(result.losses).toEqual([]);
    expect(spec(result, 'Network', 'coolify')).toEqual({ driver: 'bridge' });
    expect(spec(result, 'Network', 'shared')).toEqual({ external: true, name: 'shared' });
    expect(spec(result, 'Volume', 'data')).toEqual({});
  });
});

describe('runtime', () => {
  it('carries the engine runtime a service names, and it validates', async () => {
    const result = importLines([
      'services:',
      '  app:',
      '    image: localhost/berth-busybox:1',
      '    runtime: nvidia',
    ]);
    expect(result.losses).toEqual([]);
    const { problems, container } = await validated(result);
    expect(problems).toEqual([]);
    expect(container('app').runtime).toBe('nvidia');
  });
});

describe('sizes as docker compose config writes them', () => {
  it('reads a quoted byte count as bytes, wherever Compose takes a size', async () => {
    const result = importLines([
      'services:',
      '  app:',
      '    image: localhost/berth-busybox:1',
      '    shm_size: "67108864"',
      '    deploy: {resources: {limits: {memory: "536870912"}, reservations: {memory: "268435456"}}}',
    ]);
    expect(result.losses).toEqual([]);
    expect(spec(result, 'Container', 'app')).toMatchObject({
      shmSize: 67108864,
      resources: { memory: 536870912, memoryReservation: 268435456 },
    });
    const { problems, container } = await validated(result);
    expect(problems).toEqual([]);
    expect(container('app').shmSizeBytes).toBe(67108864);
  });
});

describe('deploy.mode global', () => {
  it('is a note, not a loss: docker compose up runs one container, as berth does', () => {
    const result = importLines([
      'services:',
      '  agent:',
      '    image: localhost/berth-busybox:1',
      '    deploy: {mode: global}',
    ]);
    expect(result.losses).toEqual([]);
    expect(result.objects.find((o) => o.name === 'agent')?.notes).toContain(
      'services.agent.deploy.mode global left out: docker compose up runs one container too',
    );
    expect(spec(result, 'Container', 'agent')?.replicas).toBeUndefined();
  });
});

describe('GPU requests under baseline', () => {
  it('leaves out a request of a driver other than nvidia, naming the flag that keeps it', () => {
    const result = importLines([
      'services:',
      '  app:',
      '    image: localhost/berth-busybox:1',
      '    deploy:',
      '      resources:',
      '        reservations:',
      '          devices: [{driver: cdi, device_ids: ["vendor.com/x=all"], capabilities: [gpu]}]',
    ]);
    expect(spec(result, 'Container', 'app')?.gpus).toBeUndefined();
    expect(result.losses.map((l) => l.why)).toEqual([
      'host devices; not carried under the baseline policy (import and apply with --policy privileged to keep it)',
    ]);
    const kept = importLines([
      'services:',
      '  app:',
      '    image: localhost/berth-busybox:1',
      '    deploy: {resources: {reservations: {devices: [{driver: nvidia, count: 1, capabilities: [gpu, video]}]}}}',
    ]);
    expect(kept.losses).toEqual([]);
  });
});

describe('enum fields holding a variable with a Compose default (F136)', () => {
  it('restart and pull_policy are carried as written, losslessly, and resolve to berth’s words', async () => {
    const result = importLines([
      'services:',
      '  web:',
      '    image: busybox:1',
      '    restart: ${RESTART_POLICY:-unless-stopped}',
      '    pull_policy: ${PULL_POLICY:-always}',
    ]);
    expect(result.losses).toEqual([]);
    expect(spec(result, 'Container', 'web')).toMatchObject({
      restartPolicy: '${RESTART_POLICY:-unless-stopped}',
    });
    expect(spec(result, 'Image', 'web')).toMatchObject({ pullPolicy: '${PULL_POLICY:-always}' });
    const { problems, container } = await validated(result, 'RESTART_POLICY=on-failure\n');
    expect(problems).toEqual([]);
    expect(container('web').restartPolicy).toBe('OnFailure');
  });

  it('a variable without a default that .env sets to a Compose word is carried as written', async () => {
    const dir = tempDir('berth-corpus-classes-');
    writeFileSync(
      join(dir, 'compose.yaml'),
      [
        'services:',
        '  web:',
        '    image: busybox:1',
        '    restart: ${RESTART_POLICY}',
        '  job:',
        '    image: busybox:1',
        '    restart: $JOB_RESTART',
        '',
      ].join('\n'),
    );
    writeFileSync(join(dir, '.env'), 'RESTART_POLICY=unless-stopped\nJOB_RESTART=on-failure\n');
    const result = importCompose({
      files: ['compose.yaml'],
      cwd: dir,
      outDir: join(dir, 'out'),
      profiles: [],
    });
    expect(result.losses).toEqual([]);
    expect(spec(result, 'Container', 'web')).toMatchObject({ restartPolicy: '${RESTART_POLICY}' });
    const { problems, container } = await validated(result, result.dotEnv.text);
    expect(problems).toEqual([]);
    expect(container('web').restartPolicy).toBe('Always');
    expect(container('job').restartPolicy).toBe('OnFailure');
  });

  it('a variable without such a default stays a loss (unset, it would not validate)', () => {
    const result = importLines([
      'services:',
      '  web:',
      '    image: busybox:1',
      '    restart: ${RESTART_POLICY}',
    ]);
    expect(result.losses.map((l) => l.why)).toEqual([
      'restart policy ${RESTART_POLICY} is not one berth knows',
    ]);
  });
});
