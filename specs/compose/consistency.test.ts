import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/support/temp-dir.js';
import { ComposeInputError, importCompose } from './index.js';

/** Imports one Compose text; returns `line:col CODE message` of every problem, or [] when valid. */
function problems(lines: string[], profiles: string[] = []): string[] {
  const dir = tempDir('berth-consistency-');
  writeFileSync(join(dir, 'compose.yaml'), [...lines, ''].join('\n'));
  try {
    importCompose({ files: ['compose.yaml'], cwd: dir, outDir: join(dir, 'out'), profiles });
    return [];
  } catch (e) {
    if (!(e instanceof ComposeInputError)) throw e;
    return e.problems.map(
      (p) => `${p.where.file}:${p.where.line}:${p.where.column} ${p.code} ${p.message}`,
    );
  }
}

const IMAGE = '    image: localhost/berth-busybox:1';

describe('berth import refuses what docker compose refuses (F12), naming every problem', () => {
  it('undeclared volume, network, service, secret and config: one problem each, in file order', () => {
    expect(
      problems([
        'services:',
        '  web:',
        IMAGE,
        '    volumes: [pgdata:/var/lib/data, ./site:/site, /etc/hosts:/h:ro, /anon, named:/n]',
        '    networks: [default, back, bak]',
        '    depends_on: [db, nosvc]',
        '    secrets: [token, nosecret]',
        '    configs: [{source: noconfig, target: /c}]',
        '  db:',
        IMAGE,
        '    network_mode: service:ghost',
        'volumes: {pg_data: {}, named: {}}',
        'networks: {back: {}}',
        'secrets: {token: {file: ./t}}',
      ]),
    ).toEqual([
      'compose.yaml:4:15 E_REFERENCE service "web" refers to undefined volume pgdata: declare it under the top-level "volumes:" (a host path starts with ./, / or ~); did you mean "pg_data"?',
      'compose.yaml:5:31 E_REFERENCE service "web" refers to undefined network bak: declare it under the top-level "networks:"; did you mean "back"?',
      'compose.yaml:6:22 E_REFERENCE service "web" depends on undefined service "nosvc"',
      'compose.yaml:7:22 E_REFERENCE service "web" refers to undefined secret nosecret: declare it under the top-level "secrets:"',
      'compose.yaml:8:15 E_REFERENCE service "web" refers to undefined config noconfig: declare it under the top-level "configs:"',
      `compose.yaml:11:5 E_REFERENCE service "db": no service "ghost" for network_mode 'service:ghost'`,
    ]);
  });

  it('long volume syntax and build secrets are checked; binds, tmpfs and variables are not', () => {
    expect(
      problems([
        'services:',
        '  web:',
        IMAGE,
        '    volumes:',
        '      - {type: volume, source: cahce, target: /a}',
        '      - {type: bind, source: ./x, target: /b}',
        '      - {type: tmpfs, target: /c}',
        '      - ${DATA:-data}:/d',
        '      - ~/cache:/e',
        '    build: {context: ., secrets: [npm]}',
        'volumes: {cache: {}}',
      ]),
    ).toEqual([
      'compose.yaml:5:9 E_REFERENCE service "web" refers to undefined volume cahce: declare it under the top-level "volumes:" (a host path starts with ./, / or ~); did you mean "cache"?',
      'compose.yaml:10:35 E_REFERENCE service "web" refers to undefined build secret npm: declare it under the top-level "secrets:"',
    ]);
  });

  it('a dependency left out by its profile is refused unless required: false', () => {
    const file = [
      'services:',
      '  web:',
      IMAGE,
      '    depends_on:',
      '      db: {condition: service_started}',
      '      cache: {condition: service_started, required: false}',
      '  db: {image: localhost/berth-busybox:1, profiles: [full]}',
      '  cache: {image: localhost/berth-busybox:1, profiles: [full]}',
    ];
    expect(problems(file)).toEqual([
      'compose.yaml:5:7 E_REFERENCE service "web" depends on service "db", which is not in an active profile (import with --profile, or mark the dependency required: false)',
    ]);
    expect(problems(file, ['full'])).toEqual([]);
  });

  it('values no engine takes: restart policy, sizes, cpus, durations, replicas', () => {
    expect(
      problems([
        'services:',
        '  web:',
        IMAGE,
        '    restart: sometimes',
        '    mem_limit: lots',
        '    shm_size: 64m',
        '    cpus: many',
        '    stop_grace_period: soon',
        '    healthcheck: {test: [CMD, "true"], interval: 1m30s, timeout: often}',
        '    scale: 2',
        '    deploy: {replicas: 3, resources: {limits: {memory: 1.5gb}, reservations: {memory: big}}}',
        '  job:',
        IMAGE,
        '    restart: always:3',
        '    mem_limit: ${MEM:-lots}',
        '    deploy: {replicas: -1}',
      ]),
    ).toEqual([
      `compose.yaml:4:5 E_SCHEMA services.web.restart: invalid restart policy 'sometimes' (one of no, always, on-failure, unless-stopped; on-failure:N retries N times)`,
      `compose.yaml:5:5 E_QUANTITY services.web.mem_limit: invalid size: 'lots'`,
      `compose.yaml:7:5 E_QUANTITY services.web.cpus: not a number of CPUs: 'many'`,
      `compose.yaml:8:5 E_DURATION services.web.stop_grace_period: invalid duration 'soon' (write it as 1m30s, 10s, 500ms)`,
      `compose.yaml:9:57 E_DURATION services.web.healthcheck.timeout: invalid duration 'often' (write it as 1m30s, 10s, 500ms)`,
      `compose.yaml:11:14 E_EXCLUSIVE services.web: can't set distinct values on 'scale' and 'deploy.replicas'`,
      `compose.yaml:11:79 E_QUANTITY services.web.deploy.resources.reservations.memory: invalid size: 'big'`,
      `compose.yaml:14:5 E_SCHEMA services.job.restart: maximum retry count can only be used with 'on-failure'`,
      'compose.yaml:16:14 E_RANGE services.job.deploy.replicas: must be greater than or equal to 0',
    ]);
  });

  it('a start-order cycle through depends_on, links, network_mode or volumes_from is refused, at the entry closing it (F189)', () => {
    expect(
      problems([
        'services:',
        '  a:',
        IMAGE,
        '    depends_on: [b]',
        '  b:',
        IMAGE,
        '    links: ["c:see"]',
        '  c:',
        IMAGE,
        '    depends_on: {a: {condition: service_started}}',
        '  d:',
        IMAGE,
        '    network_mode: service:e',
        '  e:',
        IMAGE,
        '    volumes_from: ["d:ro"]',
        '  f:',
        IMAGE,
        '    depends_on: [a]',
      ]),
    ).toEqual([
      'compose.yaml:10:18 E_CYCLE service "c" depends on "a": dependency cycle detected: a -> b -> c -> a (docker compose refuses it; remove one of these dependencies)',
      'compose.yaml:16:20 E_CYCLE service "e" depends on "d": dependency cycle detected: d -> e -> d (docker compose refuses it; remove one of these dependencies)',
    ]);
  });

  it('networks together with network_mode are refused, as in compose', () => {
    expect(
      problems([
        'services:',
        '  web:',
        IMAGE,
        '    network_mode: host',
        '    networks: [back]',
        'networks: {back: {}}',
      ]),
    ).toEqual([
      'compose.yaml:4:5 E_EXCLUSIVE service "web" declares mutually exclusive network_mode and networks',
    ]);
  });
});
