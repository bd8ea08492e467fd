import { importAndLoad } from '../../test/support/compose-imported.js';
import { describe, expect, it } from 'vitest';
import { valueOf } from '../file-values.js';

/**
 * Coolify's Compose extensions (coolify.ts): `content:` on a bind, `isDirectory` /
 * `is_directory`, `mode` beside `content:`, `exclude_from_hc` — as its service templates write
 * them (coolify-templates: dify, supabase, docker-registry, filebrowser, signoz).
 */

/** Imports `lines` as compose.yaml and loads the output as `berth validate` does. */
async function imported(lines: string[]) {
  const { result, loaded } = await importAndLoad([...lines, ''].join('\n'));
  return {
    result,
    losses: result.losses.map((l) => `${l.where.line}:${l.where.column} ${l.path}: ${l.why}`),
    warnings: result.warnings.map((w) => `${w.where.line}:${w.where.column} ${w.message}`),
    problems: loaded.problems.map((p) => `${p.message} [${p.code}]`),
    objects: loaded.set.objects,
  };
}

const SCRIPT = [
  '#!/bin/sh',
  'echo "$USERNAME ${HOME} ${NGINX_PORT:-80} ${env:OTEL} $$ $(id -u)"',
  'exec "$@"',
  '',
].join('\n');

/** `SCRIPT` as a YAML block scalar under a volume entry. */
const scriptBlock = [
  '        content: |',
  ...SCRIPT.trimEnd()
    .split('\n')
    .map((l) => `          ${l}`),
];

function bytesOf(objects: Awaited<ReturnType<typeof imported>>['objects'], name: string) {
  const config = objects.find((o) => o.kind === 'Config' && o.name === name);
  if (config?.kind !== 'Config') throw new Error(`no Config ${name}`);
  return valueOf(config.spec.digest)?.toString('utf8');
}

describe('berth import of Coolify templates', () => {
  it('content: on a bind is a Config mounted at the target, byte for byte (no variable substituted), mode 0755', async () => {
    const { result, losses, warnings, problems, objects } = await imported([
      'services:',
      '  registry:',
      '    image: localhost/berth-busybox:1',
      '    command: [/entrypoint.sh]',
      '    volumes:',
      '      - type: bind',
      '        source: ./etc/entrypoint.sh',
      '        target: /entrypoint.sh',
      ...scriptBlock,
    ]);
    expect(losses).toEqual([]);
    expect(problems).toEqual([]);
    expect(bytesOf(objects, 'entrypoint-sh')).toBe(SCRIPT);
    const registry = result.objects.find((o) => o.kind === 'Container');
    expect(registry?.spec.mounts).toEqual([
      { config: 'entrypoint-sh', target: '/entrypoint.sh', mode: '0755' },
    ]);
    expect(result.objects.some((o) => o.kind === 'BindMount')).toBe(false);
    // No "variable is not set" for what the container's shell reads; one word on read-only.
    expect(warnings).toEqual([
      '9:9 services.registry.volumes[0].content: carried as a Config, which is mounted read-only; Coolify mounts the file it writes at ./etc/entrypoint.sh writable (a container that writes to /entrypoint.sh fails)',
    ]);
    expect(result.manifests.get('configs.yaml')).toContain('"$$USERNAME $${HOME}');
  });

  it('mode: beside content: is the file mode; read_only: true says nothing more', async () => {
    const { result, losses, warnings, problems } = await imported([
      'services:',
      '  app:',
      '    image: localhost/berth-busybox:1',
      '    volumes:',
      '      - type: bind',
      '        source: ./conf/app.ini',
      '        target: /etc/app.ini',
      '        read_only: true',
      "        mode: '0640'",
      '        isDirectory: false',
      '        content: |',
      '          [app]',
      '          debug = false',
    ]);
    expect(losses).toEqual([]);
    expect(warnings).toEqual([]);
    expect(problems).toEqual([]);
    expect(result.objects.find((o) => o.kind === 'Container')?.spec.mounts).toEqual([
      { config: 'app-ini', target: '/etc/app.ini', mode: '0640' },
    ]);
  });

  it('content: "" is an empty host file created when missing and mounted writable (a database the app fills)', async () => {
    const { result, losses, warnings, problems } = await imported([
      'services:',
      '  filebrowser:',
      '    image: localhost/berth-busybox:1',
      '    volumes:',
      '      - type: bind',
      '        source: ./database.db',
      '        target: /database.db',
      '        isDirectory: false',
      '        content: ""',
    ]);
    expect([...losses, ...warnings, ...problems]).toEqual([]);
    const bind = result.objects.find((o) => o.kind === 'BindMount');
    expect(bind?.spec).toEqual({ hostPath: '../database.db', type: 'FileOrCreate' });
    expect(result.objects.find((o) => o.kind === 'Container')?.spec.mounts).toEqual([
      { bindMount: bind?.name, target: '/database.db' },
    ]);
  });

  it('isDirectory / is_directory: true creates the bind folder; on a named volume it says nothing', async () => {
    const { result, losses, problems } = await imported([
      'services:',
      '  paperless:',
      '    image: localhost/berth-busybox:1',
      '    volumes:',
      '      - {type: bind, source: ./export, target: /export, is_directory: true}',
      '      - {type: bind, source: ./srv, target: /srv, isDirectory: true}',
      '      - {type: volume, source: modules, target: /modules, is_directory: true}',
      'volumes: {modules: {}}',
    ]);
    expect(losses).toEqual([]);
    expect(problems).toEqual([]);
    const binds = result.objects.filter((o) => o.kind === 'BindMount').map((o) => o.spec);
    expect(binds).toEqual([
      { hostPath: '../export', type: 'DirectoryOrCreate' },
      { hostPath: '../srv', type: 'DirectoryOrCreate' },
    ]);
  });

  it('exclude_from_hc is a warning, not a loss; false says nothing', async () => {
    const { losses, warnings, problems } = await imported([
      'services:',
      '  init:',
      '    image: localhost/berth-busybox:1',
      '    exclude_from_hc: true',
      '  app:',
      '    image: localhost/berth-busybox:1',
      '    exclude_from_hc: false',
    ]);
    expect(losses).toEqual([]);
    expect(problems).toEqual([]);
    expect(warnings).toEqual([
      "4:5 services.init.exclude_from_hc: Coolify's hint to leave the service out of the app's status is not carried (it changes nothing in the container; berth status shows each container's own state)",
    ]);
  });

  it('what Coolify does not do either stays a loss: mode without content, content on a folder, a mode that is none', async () => {
    const { losses, problems } = await imported([
      'services:',
      '  app:',
      '    image: localhost/berth-busybox:1',
      '    volumes:',
      "      - {type: bind, source: ./a, target: /a, mode: '0755', is_directory: true}",
      '      - {type: bind, source: ./b, target: /b, isDirectory: true, content: "x"}',
      '      - {type: bind, source: ./c, target: /c, mode: rwx, content: "x"}',
      '      - {type: volume, source: data, target: /d, content: "x"}',
      'volumes: {data: {}}',
    ]);
    expect(problems).toEqual([]);
    expect(losses).toEqual([
      '5:47 services.app.volumes[0].mode: not a berth mount option',
      '6:66 services.app.volumes[1].content: Coolify writes no file into a folder (isDirectory: true)',
      '7:47 services.app.volumes[2].mode: rwx is not an octal file mode',
      '8:50 services.app.volumes[3].content: Coolify writes content: only for a bind',
    ]);
  });
});
