import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { loadManifests } from '../index.js';
import { policyFor } from '../policy.js';
import { ComposeInputError, importCompose, policyFlagsFor } from './index.js';
import type { ImportPolicy, Loss } from './index.js';
import {
  COMPOSE_DURATION,
  duration,
  shellWords,
  quantity,
  explicitBlankDefaults,
  fileMode,
} from './values.js';
import { parseDuration } from '../validate/values.js';
import { tempDir } from '../../test/support/temp-dir.js';

const PRIVILEGED: ImportPolicy = { policy: policyFor('privileged'), name: 'privileged' };

const corpus = resolve(import.meta.dirname, '../../test/compose');

function run(dir: string, extra: Partial<Parameters<typeof importCompose>[0]> = {}) {
  const cwd = join(corpus, dir);
  return importCompose({ files: ['compose.yaml'], cwd, outDir: cwd, profiles: [], ...extra });
}

function objects(result: ReturnType<typeof importCompose>) {
  return [...result.manifests.values()].flatMap((text) =>
    parseAllDocuments(text).map(
      (d) =>
        d.toJS() as { kind: string; metadata: { name: string }; spec: Record<string, unknown> },
    ),
  );
}

function container(result: ReturnType<typeof importCompose>, name: string) {
  return objects(result).find((o) => o.kind === 'Container' && o.metadata.name === name)?.spec;
}

function inputError(dir: string, file = 'compose.yaml'): string {
  try {
    run(dir, { files: [file] });
  } catch (e) {
    if (e instanceof ComposeInputError)
      return `${e.where.file}:${e.where.line}:${e.where.column}: ${e.message}`;
    throw e;
  }
  throw new Error('no error');
}

describe('berth import: invalid input is refused with its position', () => {
  it('refuses a typo of a service field and a service with neither image nor build (never invents an image ref)', () => {
    expect(inputError('typo-key')).toBe(
      'compose.yaml:3:5: services.web.imagee: not a Compose service field; did you mean "image"?',
    );
    expect(inputError('no-image')).toBe(
      'compose.yaml:2:3: services.web: has neither an image nor a build: this file completes another Compose file (import them together: -f base.yaml -f this.yaml)',
    );
  });

  it('names a v1 file, an unknown top-level key, an extends cycle, bad YAML and a missing include', () => {
    expect(inputError('v1', 'docker-compose.yml')).toMatch(
      /^docker-compose.yml:1:1: a version 1 Compose file/,
    );
    expect(inputError('unknown-key')).toMatch(/^compose.yaml:4:1: unknown top-level key "servces"/);
    expect(inputError('cycle')).toBe('compose.yaml:3:5: extends cycle: a → b → a');
    expect(inputError('not-yaml')).toMatch(
      /^compose.yaml:3:12: not YAML: .* \(still open at 4:1\)$/,
    );
    expect(inputError('bad-include')).toBe(
      'compose.yaml:2:5: include: missing/compose.yaml: no such file',
    );
  });

  it('refuses a list or mapping where Compose wants another kind of value, at any depth (F344)', () => {
    expect(inputError('wrong-type')).toBe(
      'compose.yaml:6:26: services.web.deploy.resources.limits.memory: must be a number or a string',
    );
  });
});

describe('berth import: structure', () => {
  it('merges the override file: sequences appended, mappings merged, command replaced', () => {
    const r = run('overrides', { files: ['compose.yaml', 'compose.override.yaml'] });
    expect(container(r, 'web')).toMatchObject({
      ports: ['127.0.0.1:18080:80', '127.0.0.1:18081:81'],
      env: { MODE: 'override', EXTRA: '1' },
      args: ['sleep', '2'],
      restartPolicy: 'Always',
    });
    expect(r.losses).toEqual([]);
  });

  it('extends across files keeps the base file’s relative paths and the service’s own values', () => {
    const r = run('extends');
    expect(container(r, 'worker')).toMatchObject({
      env: { FROM_BASE: 'yes', MODE: 'web' },
      args: ['sleep', '60'],
    });
    const bind = objects(r).find((o) => o.kind === 'BindMount');
    expect(bind?.spec.hostPath).toBe('./shared');
  });

  it('include brings the included services with their paths rebased', () => {
    const r = run('include');
    expect(container(r, 'web')?.dependsOn).toEqual([{ container: 'cache' }]);
    expect(objects(r).find((o) => o.kind === 'BindMount')?.spec.hostPath).toBe('./sub/cache-data');
  });

  it('profiles leave services out unless asked for', () => {
    expect(container(run('profiles'), 'debug')).toBeUndefined();
    expect(container(run('profiles', { profiles: ['debug'] }), 'debug')).toMatchObject({
      dependsOn: [{ container: 'web' }],
    });
  });

  it('writes each object with the Compose file:line:col it came from', () => {
    const r = run('basic');
    expect(r.manifests.get('web.yaml')).toContain('# services.web from compose.yaml:7:3');
    expect([...r.manifests.keys()]).toEqual([
      'bindmounts.yaml',
      'db.yaml',
      'networks.yaml',
      'secrets.yaml',
      'volumes.yaml',
      'web.yaml',
    ]);
    expect(r.dotEnv.source).toBe(join(corpus, 'basic', '.env'));
  });
});

describe('berth import: the basic app', () => {
  const r = run('basic');
  it('maps command, healthcheck, ports, depends_on, resources, restart and mounts', () => {
    expect(container(r, 'web')).toMatchObject({
      image: 'nginx:latest',
      args: ['nginx', '-g', 'daemon off;'],
      healthcheck: { command: ['CMD-SHELL', 'curl -f http://localhost'], interval: '1m30s' },
      ports: [
        '127.0.0.1:8080:80',
        '9000',
        { containerPort: 443, hostPort: 8443, hostIP: '127.0.0.1' },
      ],
      dependsOn: [{ container: 'db', condition: 'healthy' }],
      resources: { cpus: 0.5, memory: '512Mi' },
      restartPolicy: 'Always',
      env: { COMMON: '1' },
      networks: [{ network: 'default', aliases: ['my_web'] }],
      mounts: [
        { bindMount: 'site', target: '/usr/share/nginx/html', readOnly: true },
        { volume: 'data', target: '/data' },
        { volume: 'web-cache', target: '/cache' },
      ],
    });
  });
  it('keeps variables, makes Compose’s blank default explicit, mounts secrets (mode 0444, as Compose)', () => {
    expect(container(r, 'db')).toMatchObject({
      image: 'postgres:${PG:-16}',
      env: { POSTGRES_PASSWORD: null, A: 'b' },
      resources: { memory: '1Gi' },
      restartPolicy: 'Always',
      mounts: [
        { secret: 'pw', target: '/run/secrets/pw', mode: '0444' },
        { bindMount: 'init-sql', target: '/docker-entrypoint-initdb.d/init.sql' },
      ],
    });
  });
  it('names what it cannot carry at its position', () => {
    expect(
      r.losses.map((l) => `${l.where.file}:${l.where.line}:${l.where.column}: ${l.path}`),
    ).toEqual(['compose.yaml:44:5: services.db.develop']);
  });
});

describe('berth import: losses', () => {
  it('names each field it cannot carry', () => {
    const dir = tempDir('berth-import-');
    writeFileSync(
      join(dir, 'compose.yaml'),
      [
        'services:',
        '  web:',
        '    image: busybox',
        '    restart: on-failure:3',
        '    volumes: ["./x:/x:z", "./y:/y:ro,cached,q"]',
        '    userns_mode: host',
        '    deploy: {placement: {constraints: []}, resources: {reservations: {cpus: "1"}}}',
        '',
      ].join('\n'),
    );
    const r = importCompose({ files: ['compose.yaml'], cwd: dir, outDir: dir, profiles: [] });
    expect(r.losses.map((l) => `${l.where.line}:${l.where.column} ${l.path}: ${l.why}`)).toEqual([
      '5:27 services.web.volumes[1]:q: mount option q is not a berth mount option',
      '6:5 services.web.userns_mode: no berth field',
    ]);
    // docker compose up sets only memory and device reservations (setReservations).
    expect(r.objects.find((o) => o.name === 'web')?.notes).toContain(
      'services.web.deploy.resources.reservations.cpus left out: docker compose up ignores it too',
    );
    // on-failure:3 is carried as restartMaxRetries (F602), no loss.
    expect(container(r, 'web')).toMatchObject({
      restartPolicy: 'OnFailure',
      restartMaxRetries: 3,
      image: 'busybox:latest',
    });
  });
});

describe('berth import: shared namespaces', () => {
  it('maps container:NAME of a service in the file to that service, and drops an outside one', () => {
    const dir = tempDir('berth-import-');
    writeFileSync(
      join(dir, 'compose.yaml'),
      [
        'services:',
        '  vpn:',
        '    image: busybox',
        '    container_name: suite-vpn',
        '  torrent:',
        '    image: busybox',
        '    network_mode: container:suite-vpn',
        '  other:',
        '    image: busybox',
        '    pid: container:somewhere-else',
        '',
      ].join('\n'),
    );
    const r = importCompose({ files: ['compose.yaml'], cwd: dir, outDir: dir, profiles: [] });
    expect(container(r, 'torrent')?.networkMode).toBe('container:vpn');
    expect(container(r, 'other')?.pid).toBeUndefined();
    expect(r.losses.map((l) => `${l.where.line}:${l.where.column} ${l.path}`)).toEqual([
      '10:5 services.other.pid',
    ]);
  });
});

describe('berth import: host and none networks', () => {
  it('turns the engine’s host/none networks into networkMode, never into a Network', () => {
    const dir = tempDir('berth-import-');
    writeFileSync(
      join(dir, 'compose.yaml'),
      [
        'services:',
        '  a: {image: x/a, network_mode: host, ports: ["8080:80"]}',
        '  b: {image: x/b, networks: [hostnet]}',
        '  c: {image: x/c, networks: {nonet: {aliases: [c2]}}}',
        '  d: {image: x/d, networks: [hostnet, other]}',
        'networks:',
        '  hostnet: {external: true, name: host}',
        '  nonet: {driver: none}',
        '  other: {}',
        '',
      ].join('\n'),
    );
    const r = importCompose({
      files: ['compose.yaml'],
      cwd: dir,
      outDir: dir,
      profiles: [],
      policy: PRIVILEGED,
    });
    expect(container(r, 'a')).toEqual({
      image: 'x/a',
      networkMode: 'host',
      restartPolicy: 'Always',
    });
    expect(container(r, 'b')).toMatchObject({ networkMode: 'host' });
    expect(container(r, 'c')).toMatchObject({ networkMode: 'none' });
    expect(container(r, 'd')).toMatchObject({ networks: [{ network: 'other' }] });
    expect(container(r, 'd')).not.toHaveProperty('networkMode');
    expect(
      objects(r)
        .filter((o) => o.kind === 'Network')
        .map((o) => o.metadata.name),
    ).toEqual(['other']);
    expect(r.losses.map((l) => `${l.where.line}:${l.where.column} ${l.path}: ${l.why}`)).toEqual([
      '4:38 services.c.networks.nonet.aliases: the none network takes no aliases',
      '5:30 services.d.networks.hostnet: the host network excludes every other network',
    ]);
  });
});

describe('berth import: host names', () => {
  it('keeps a host name as Compose passes it (underscores, dots), and the result validates', async () => {
    const dir = tempDir('berth-import-');
    const text = 'services:\n  web:\n    image: busybox\n    hostname: web_1.corp_net\n';
    writeFileSync(join(dir, 'compose.yaml'), text);
    const r = importCompose({ files: ['compose.yaml'], cwd: dir, outDir: dir, profiles: [] });
    expect(r.losses).toEqual([]);
    expect(container(r, 'web')).toMatchObject({ hostname: 'web_1.corp_net' });
    expect(container(r, 'web')?.domainname).toBeUndefined();
    const out = tempDir('berth-import-out-');
    for (const [name, manifest] of r.manifests) writeFileSync(join(out, name), manifest);
    expect((await loadManifests([out], { cwd: out })).problems).toEqual([]);
  });
});

describe('berth import: fitted to the policy it will be applied under', () => {
  function importText(lines: string[], policy?: ImportPolicy) {
    const dir = tempDir('berth-import-');
    writeFileSync(join(dir, 'compose.yaml'), [...lines, ''].join('\n'));
    const out = join(dir, 'out');
    const r = importCompose({
      files: ['compose.yaml'],
      cwd: dir,
      outDir: out,
      profiles: [],
      ...(policy && { policy }),
    });
    mkdirSync(out, { recursive: true });
    for (const [name, text] of r.manifests) writeFileSync(join(out, name), text);
    return { ...r, out };
  }
  const losses = (r: { losses: Loss[] }) =>
    r.losses.map((l) => `${l.where.line}:${l.where.column} ${l.path}: ${l.why}`);
  const PROXY = [
    'services:',
    '  proxy:',
    '    image: busybox',
    '    volumes:',
    '      - /var/run/docker.sock:/var/run/docker.sock:ro',
    '      - type: bind',
    '        source: /etc/localtime',
    '        target: /etc/localtime',
    '      - ./conf:/conf',
    '      - ${DATA:-/etc/data}:/data',
  ];

  it('leaves out the host paths the baseline forbids, names each with its flag, and validates', async () => {
    const r = importText(PROXY);
    expect(losses(r)).toEqual([
      '5:9 services.proxy.volumes[0]: /var/run/docker.sock may not be mounted (forbidden by policy); not carried under the baseline policy (import and apply with --allow-host-path /var/run/docker.sock to keep it)',
      '6:9 services.proxy.volumes[1]: /etc/localtime lies beneath /etc, which may not be mounted (forbidden by policy); not carried under the baseline policy (import and apply with --allow-host-path /etc/localtime to keep it)',
    ]);
    // A path holding a variable is judged when applied, as validate does.
    expect(container(r, 'proxy')?.mounts).toEqual([
      { bindMount: 'conf', target: '/conf' },
      { bindMount: 'data', target: '/data' },
    ]);
    expect(objects(r).filter((o) => o.kind === 'BindMount')).toHaveLength(2);
    expect(r.manifests.get('proxy.yaml')).toContain(
      '# left out under the baseline policy: the bind mount of /var/run/docker.sock at /var/run/docker.sock (--allow-host-path /var/run/docker.sock keeps it)',
    );
    expect(policyFlagsFor(r.objects)).toEqual([]);
    expect((await loadManifests([r.out], { cwd: r.out, env: { DATA: '/srv' } })).problems).toEqual(
      [],
    );
  });

  it('keeps what --allow-host-path opens, and says apply needs it too', async () => {
    const opened = ['/etc/localtime', '/var/run/docker.sock'];
    const policy = policyFor('baseline', opened);
    const r = importText(PROXY, { policy, name: 'baseline' });
    expect(r.losses).toEqual([]);
    expect(container(r, 'proxy')?.mounts).toHaveLength(4);
    const flags = policyFlagsFor(r.objects);
    expect(flags).toEqual(opened.flatMap((p) => ['--allow-host-path', p]));
    const env = { DATA: '/srv' };
    expect((await loadManifests([r.out], { cwd: r.out, env })).problems.length).toBeGreaterThan(0);
    expect((await loadManifests([r.out], { cwd: r.out, env, policy })).problems).toEqual([]);
  });

  it('leaves out privileged, devices and host namespaces unless --policy privileged', async () => {
    const lines = [
      'services:',
      '  s:',
      '    image: busybox',
      '    privileged: true',
      '    network_mode: host',
      '    pid: host',
      '    devices: ["/dev/fuse"]',
    ];
    const base = importText(lines);
    expect(base.losses.map((l) => [l.where.line, l.path])).toEqual([
      [4, 'services.s.privileged'],
      [7, 'services.s.devices'],
      [5, 'services.s.network_mode'],
      [6, 'services.s.pid'],
    ]);
    expect(base.losses[0]?.why).toMatch(/--policy privileged to keep it/);
    expect(container(base, 's')).toEqual({ image: 'busybox:latest', restartPolicy: 'Always' });
    expect((await loadManifests([base.out], { cwd: base.out })).problems).toEqual([]);
    const all = importText(lines, PRIVILEGED);
    expect(all.losses).toEqual([]);
    expect(container(all, 's')).toMatchObject({
      privileged: true,
      networkMode: 'host',
      pid: 'host',
    });
    expect(policyFlagsFor(all.objects)).toEqual(['--policy', 'privileged']);
  });
});

describe('berth import: values', () => {
  it('splits commands as a shell would, without expanding', () => {
    expect(shellWords(`sh -c 'echo "$A b"' x\\ y "\${A:-a b}"`)).toEqual([
      'sh',
      '-c',
      'echo "$A b"',
      'x y',
      '${A:-a b}',
    ]);
  });
  it('converts sizes, modes and blank defaults', () => {
    expect([quantity('512m'), quantity('1.5GB'), quantity(2048), quantity('x')]).toEqual([
      '512Mi',
      '1.5Gi',
      2048,
      undefined,
    ]);
    expect([fileMode(440), fileMode(288), fileMode('0400')]).toEqual(['0440', '0440', '0400']);
    expect(explicitBlankDefaults('$A ${B} ${C:-c} $$D')).toBe('${A:-} ${B:-} ${C:-c} $$D');
  });
});

describe('berth import names each loss once (F192g)', () => {
  it('an external secret and config, used by a service and declared, are one loss each', () => {
    const dir = tempDir('berth-import-once-');
    writeFileSync(
      join(dir, 'compose.yaml'),
      [
        'services:',
        '  a:',
        '    image: localhost/berth-busybox:1',
        '    secrets: [ext]',
        '    configs: [extc]',
        'secrets:',
        '  ext: {external: true}',
        'configs:',
        '  extc: {external: true}',
        '',
      ].join('\n'),
    );
    const result = importCompose({ files: ['compose.yaml'], cwd: dir, outDir: dir, profiles: [] });
    expect(result.losses.map((l) => `${l.where.line}:${l.where.column} ${l.path}`)).toEqual([
      '7:9 secrets.ext',
      '9:10 configs.extc',
    ]);
    // Compose itself cannot use them outside a swarm (docker/compose pkg/compose/create.go).
    expect(result.losses.map((l) => l.why)).toEqual([
      'external: a swarm secret (docker secret create); docker compose up refuses it outside a swarm too ("unsupported external secret ext"): declare it with file: or environment:',
      'external: a swarm config (docker config create); docker compose up refuses it outside a swarm too ("unsupported external config extc"): declare it with file: or environment:',
    ]);
  });
});

describe('berth import places env_file entries where they are written (F240)', () => {
  it('a loss about an entry of an override file, or of a single env_file, points at it', () => {
    const dir = tempDir('berth-import-envfile-at-');
    mkdirSync(join(dir, 'overrides'));
    writeFileSync(
      join(dir, 'compose.yaml'),
      [
        'services:',
        '  a:',
        '    image: localhost/berth-busybox:1',
        '    env_file: gone.env',
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(dir, 'overrides', 'prod.yaml'),
      ['services:', '  a:', '    env_file:', '      - ../missing.env', ''].join('\n'),
    );
    const result = importCompose({
      files: ['compose.yaml', 'overrides/prod.yaml'],
      cwd: dir,
      outDir: join(dir, 'out'),
      profiles: [],
    });
    expect(
      result.losses.map((l) => `${l.where.file}:${l.where.line}:${l.where.column} ${l.path}`),
    ).toEqual([
      'compose.yaml:4:5 services.a.env_file[0]',
      'overrides/prod.yaml:4:9 services.a.env_file[1]',
    ]);
  });
});

describe('berth import: one duration grammar on the Compose side (F230)', () => {
  it('every duration the check passes converts to one berth reads, the Greek mu included', () => {
    const accepted = ['1500\u03bcs', '5\u00b5s', '.5s', '1.s', '+5s', '1m30s', '0', '1.5h'];
    for (const text of accepted) {
      expect(COMPOSE_DURATION.test(text), text).toBe(true);
      const converted = duration(text);
      expect(typeof converted, text).toBe('string');
      expect(parseDuration(converted as string), text).toBeDefined();
    }
    expect(duration('1500\u03bcs')).toBe('1500\u00b5s');
    expect(duration('.5s')).toBe('0.5s');
    expect(duration('-5s')).toBeUndefined();
  });
});
