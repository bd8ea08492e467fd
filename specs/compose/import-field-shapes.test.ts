import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { ComposeInputError, importCompose } from './index.js';
import { tempDir } from '../../test/support/temp-dir.js';

/** Imports a compose.yaml of `lines`: the first problem as `file:line:col: msg`, or the output. */
function imported(lines: string[]): string {
  const dir = tempDir('berth-import-shapes-');
  writeFileSync(join(dir, 'compose.yaml'), [...lines, ''].join('\n'));
  try {
    const result = importCompose({ files: ['compose.yaml'], cwd: dir, outDir: dir, profiles: [] });
    return [...result.manifests.values()].join('\n');
  } catch (e) {
    if (e instanceof ComposeInputError)
      return `${e.where.file}:${e.where.line}:${e.where.column}: ${e.message}`;
    throw e;
  }
}

const service = (...fields: string[]) =>
  imported([
    'services:',
    '  w:',
    '    image: localhost/berth-busybox:1',
    ...fields.map((f) => `    ${f}`),
    '  db:',
    '    image: localhost/berth-busybox:1',
  ]);

describe('berth import: a list or mapping where Compose wants another kind is refused (F344)', () => {
  it('a scalar field given a list or a mapping, at the value', () => {
    expect(service('user: [1]')).toBe('compose.yaml:4:11: services.w.user: must be a string');
    expect(service('domainname: [x]')).toBe(
      'compose.yaml:4:17: services.w.domainname: must be a string',
    );
    expect(service('working_dir: {a: 1}')).toBe(
      'compose.yaml:4:18: services.w.working_dir: must be a string',
    );
    expect(service('init: [true]')).toBe(
      'compose.yaml:4:11: services.w.init: must be true or false',
    );
  });

  it('nested values, at the value', () => {
    expect(service('logging: {options: {a: [1]}}')).toBe(
      'compose.yaml:4:28: services.w.logging.options.a: must be a string or a number',
    );
    expect(service('deploy: {resources: {limits: {cpus: [1]}}}')).toBe(
      'compose.yaml:4:41: services.w.deploy.resources.limits.cpus: must be a number or a string',
    );
    expect(service('depends_on: [[db]]')).toBe(
      'compose.yaml:4:18: services.w.depends_on[0]: must be a string',
    );
    expect(service('networks: [{x: 1}]')).toBe(
      'compose.yaml:4:16: services.w.networks[0]: must be a string',
    );
    expect(service('ports: [{target: [80]}]')).toBe(
      'compose.yaml:4:22: services.w.ports[0].target: must be a number or a string',
    );
    expect(service('ulimits: {nofile: [1]}')).toBe(
      'compose.yaml:4:23: services.w.ulimits.nofile: must be a number or a string or a mapping',
    );
    expect(service('healthcheck: {interval: [1]}')).toBe(
      'compose.yaml:4:29: services.w.healthcheck.interval: must be a string',
    );
    expect(service('depends_on: {db: [x]}')).toBe(
      'compose.yaml:4:22: services.w.depends_on.db: must be a mapping',
    );
  });

  it('a scalar where Compose wants a list or a mapping, at the key', () => {
    expect(service('environment: A=1')).toBe(
      'compose.yaml:4:5: services.w.environment: must be a mapping or a list',
    );
    expect(service('build: [x]')).toBe(
      'compose.yaml:4:12: services.w.build: must be a string or a mapping',
    );
    expect(service('logging: json-file')).toBe(
      'compose.yaml:4:5: services.w.logging: must be a mapping',
    );
  });

  it('the other sections too', () => {
    const top = (...lines: string[]) =>
      imported(['services:', '  w:', '    image: localhost/berth-busybox:1', ...lines]);
    expect(top('volumes: {data: {driver_opts: {o: [bind]}}}')).toBe(
      'compose.yaml:4:35: volumes.data.driver_opts.o: must be a string or a number',
    );
    expect(top('networks: {n: {ipam: {config: [{subnet: [10.0.0.0/24]}]}}}')).toBe(
      'compose.yaml:4:41: networks.n.ipam.config[0].subnet: must be a string',
    );
    expect(top('name: [x]')).toBe('compose.yaml:4:7: name: must be a string');
  });

  it('what Compose takes still imports: scalars of any type, null, long syntax, x- keys', () => {
    const out = service(
      'user: 1000',
      'cpus: "0.5"',
      'init: "true"',
      'environment:',
      'labels: {a: 1, b: true, c: null}',
      'ulimits: {nproc: 512, nofile: {soft: 1024, hard: 2048}}',
      'depends_on: {db: {condition: service_started, x-note: [any]}}',
      'networks: {default: null}',
      'logging: {driver: json-file, options: {max-size: 10m, max-file: 3}}',
      'x-anything: {a: [1]}',
    );
    const docs = parseAllDocuments(out).map((d) => d.toJS() as { metadata: { name: string } });
    expect(docs.map((d) => d.metadata.name)).toContain('w');
  });
});

describe('berth import: a host with several addresses (F344, extra_hosts)', () => {
  it('is written as one host:ip entry per address, never as JSON text', () => {
    const hosts = (field: string) =>
      (
        parseAllDocuments(service(field))
          .map((d) => d.toJS() as { metadata: { name: string }; spec: Record<string, unknown> })
          .find((d) => d.metadata.name === 'w')?.spec ?? {}
      ).extraHosts;
    expect(hosts('extra_hosts: {h: [10.0.0.1, "::1"], g: 10.0.0.2}')).toEqual([
      'h:10.0.0.1',
      'h:::1',
      'g:10.0.0.2',
    ]);
    expect(hosts('extra_hosts: ["h:10.0.0.1", "h=10.0.0.3"]')).toEqual([
      'h:10.0.0.1',
      'h:10.0.0.3',
    ]);
    expect(hosts('extra_hosts: ["h:10.0.0.1", "g=10.0.0.2"]')).toEqual({
      h: '10.0.0.1',
      g: '10.0.0.2',
    });
  });
});
