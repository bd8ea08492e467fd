import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../index.js';
import { ComposeInputError, importCompose } from './index.js';
import { tempDir } from '../../test/support/temp-dir.js';
import { importAndLoad } from '../../test/support/compose-imported.js';

/**
 * Kinds of real Compose files (app stores, examples, docker/compose's own test data) that
 * import used to refuse or turn into manifests that fail `berth validate`.
 */

/** Imports `compose` (written to a fresh folder) and validates the output; env is berth's. */
async function importAndValidate(compose: string, env: NodeJS.ProcessEnv = {}) {
  const dir = tempDir('berth-import-kinds-');
  writeFileSync(join(dir, 'compose.yaml'), compose);
  const out = join(dir, 'out');
  const result = importCompose({ files: ['compose.yaml'], cwd: dir, outDir: out, profiles: [] });
  mkdirSync(out);
  for (const [name, text] of result.manifests) writeFileSync(join(out, name), text);
  const loaded = await loadManifests([out], { cwd: out, env });
  const losses = result.losses.map((l) => `${l.where.line}:${l.where.column} ${l.path}: ${l.why}`);
  return {
    result,
    losses,
    problems: loaded.problems.map((p) => `${p.message} [${p.code}]`),
    loaded,
  };
}

/** The normalised ports of a service `app` whose Compose `ports:` items are `items`; lossless and valid. */
async function importedPorts(items: string[]) {
  const lines = ['services:', '  app:', '    image: busybox', '    ports:'];
  const { losses, problems, loaded } = await importAndValidate(
    [...lines, ...items.map((item) => `      - ${item}`), ''].join('\n'),
  );
  expect(losses).toEqual([]);
  expect(problems).toEqual([]);
  const app = loaded.set.objects.find((o) => o.kind === 'Container');
  return app?.kind === 'Container' ? app.spec.ports : undefined;
}

describe('berth import: kinds of real files', () => {
  it('leaves out a service with neither image nor build (a fragment) and names it, and what names it', async () => {
    const { losses, problems, loaded } = await importAndValidate(
      [
        'services:',
        '  app_proxy:',
        '    environment: {APP_PORT: "3000"}',
        '  web:',
        '    image: busybox',
        '    depends_on: [app_proxy]',
        '  side:',
        '    image: busybox',
        '    network_mode: service:app_proxy',
        '',
      ].join('\n'),
    );
    expect(losses).toEqual([
      '2:3 services.app_proxy: has neither an image nor a build, so it runs no container (a fragment another Compose file completes; import them together)',
      '6:18 services.web.depends_on.app_proxy: that service has neither an image nor a build',
      '9:5 services.side.network_mode: app_proxy: that service has neither an image nor a build',
    ]);
    expect(problems).toEqual([]);
    const containers = loaded.set.objects.filter((o) => o.kind === 'Container');
    expect(containers.map((o) => o.name).sort()).toEqual(['side', 'web']);
  });

  it('drops depends_on and links on a provider service, which runs no container (docker compose e2e TestProviderStopHook)', async () => {
    const { losses, problems, loaded } = await importAndValidate(
      [
        'services:',
        '  test:',
        '    image: busybox',
        '    depends_on: [provider]',
        '    links: [provider]',
        '  provider:',
        '    provider: {type: example-provider, options: {name: provider}}',
        '',
      ].join('\n'),
    );
    expect(losses).toEqual([
      '4:18 services.test.depends_on.provider: provider is a provider service: it runs no container to wait for',
      '6:3 services.provider: a service with no image or build (a provider service) runs no container',
    ]);
    expect(problems).toEqual([]);
    const containers = loaded.set.objects.filter((o) => o.kind === 'Container');
    expect(containers.map((o) => o.name)).toEqual(['test']);
  });

  it('reads network_mode: default as the engine does, its bridge (CasaOS Twingate)', async () => {
    const { losses, problems, loaded } = await importAndValidate(
      'services:\n  app:\n    image: busybox\n    network_mode: default\n',
    );
    expect(losses).toEqual([]);
    expect(problems).toEqual([]);
    const app = loaded.set.objects.find((o) => o.kind === 'Container');
    expect(app?.kind === 'Container' && app.spec.networkMode).toBe('bridge');
  });

  it('lower-cases a port protocol, as the engine reads it (CasaOS Transmission: protocol: UDP)', async () => {
    const ports = await importedPorts([
      '{target: 51413, published: "51413", protocol: UDP}',
      '"127.0.0.1:9091:9091/TCP"',
    ]);
    expect(ports).toEqual([
      { containerPort: 51413, hostIP: '', hostPort: 51413, protocol: 'udp' },
      { containerPort: 9091, hostIP: '127.0.0.1', hostPort: 9091, protocol: 'tcp' },
    ]);
  });

  it("carries dockerfile_inline as the Image build's dockerfileInline, built from the context", async () => {
    const { losses, problems, loaded, result } = await importAndValidate(
      [
        'services:',
        '  app:',
        '    build:',
        '      context: .',
        '      dockerfile_inline: |',
        '        FROM busybox',
        '        RUN echo hi > /hi',
        '',
      ].join('\n'),
    );
    expect(losses).toEqual([]);
    expect(problems).toEqual([]);
    expect([...result.manifests.values()].join('\n')).toMatch(
      /dockerfileInline: \|\n\s+FROM busybox\n/,
    );
    const image = loaded.set.objects.find((o) => o.kind === 'Image');
    expect(image?.kind === 'Image' && image.spec.build?.dockerfileInline).toBe(
      'FROM busybox\nRUN echo hi > /hi\n',
    );
  });

  it('keeps a git URL build context as written, for the engine to clone (awesome-compose style)', async () => {
    const url = 'https://github.com/docker/awesome-compose.git#master:nginx-golang/backend';
    const { losses, problems, loaded } = await importAndValidate(
      [
        'services:',
        '  app:',
        `    build: ${url}`,
        '  api:',
        '    build: {context: "git@github.com:owner/api.git#v1", dockerfile_inline: "FROM busybox"}',
        '',
      ].join('\n'),
    );
    expect(losses).toEqual([
      "5:57 services.api.build.dockerfile_inline: berth sends no Dockerfile with a remote context: the engine builds the repository's own",
    ]);
    expect(problems).toEqual([]);
    const contexts = loaded.set.objects.flatMap((o) =>
      o.kind === 'Image' ? [[o.name, o.spec.build?.context, o.spec.build?.remote]] : [],
    );
    expect(contexts.sort()).toEqual([
      ['api', 'git@github.com:owner/api.git#v1', true],
      ['app', url, true],
    ]);
  });

  it('carries a host port range onto one container port (`8000-8010:80`, short and long syntax)', async () => {
    const ports = await importedPorts([
      '"127.0.0.1:8000-8010:80"',
      '{target: 81, published: "9000-9005", host_ip: 127.0.0.1}',
    ]);
    expect(ports).toEqual([
      {
        containerPort: 80,
        hostIP: '127.0.0.1',
        hostPort: 8000,
        hostPortEnd: 8010,
        protocol: 'tcp',
      },
      {
        containerPort: 81,
        hostIP: '127.0.0.1',
        hostPort: 9000,
        hostPortEnd: 9005,
        protocol: 'tcp',
      },
    ]);
  });

  it('carries a bare IPv6 host address (`::1:80:80`, as nat.ParsePortSpec reads it; Mailu) and an IPv6 host_ip of a port range', async () => {
    const ports = await importedPorts([
      '"::1:8443:443"',
      '"::1:8110:110/UDP"',
      '"127.0.0.1::80"',
      '"::81"',
      '{target: 82, published: "9000-9005", host_ip: "::1"}',
    ]);
    expect(ports).toEqual([
      { containerPort: 443, hostIP: '::1', hostPort: 8443, protocol: 'tcp' },
      { containerPort: 110, hostIP: '::1', hostPort: 8110, protocol: 'udp' },
      { containerPort: 80, hostIP: '127.0.0.1', protocol: 'tcp' },
      { containerPort: 81, hostIP: '', protocol: 'tcp' },
      { containerPort: 82, hostIP: '::1', hostPort: 9000, hostPortEnd: 9005, protocol: 'tcp' },
    ]);
  });

  it('a port whose host address is a variable set to an IPv6 one validates (Mailu: $BIND_ADDRESS6:80:80)', async () => {
    const { result, loaded } = await importAndLoad(
      [
        'services:',
        '  front:',
        '    image: busybox',
        '    ports:',
        '      - "$BIND_ADDRESS6:8080:80"',
        '',
      ].join('\n'),
      { dotEnv: 'BIND_ADDRESS6=::1\n' },
    );
    expect(result.losses).toEqual([]);
    expect(loaded.problems.map((p) => `${p.message} [${p.code}]`)).toEqual([]);
    const front = loaded.set.objects.find((o) => o.kind === 'Container');
    expect(front?.kind === 'Container' && front.spec.ports).toEqual([
      { containerPort: 80, hostIP: '::1', hostPort: 8080, protocol: 'tcp' },
    ]);
  });

  it('carries an empty dns_search (no search domain; the OpenTelemetry demo) as Docker\'s "."', async () => {
    const { losses, problems, loaded } = await importAndValidate(
      [
        'services:',
        '  proxy:',
        '    image: busybox',
        '    dns_search: ""',
        '  app:',
        '    image: busybox',
        '    dns_search: [example.org, ""]',
        '  none:',
        '    image: busybox',
        '    dns_search: []',
        '',
      ].join('\n'),
    );
    expect(losses).toEqual([]);
    expect(problems).toEqual([]);
    const search = loaded.set.objects.flatMap((o) =>
      o.kind === 'Container' ? [[o.name, o.spec.dnsSearch]] : [],
    );
    expect(search.sort()).toEqual([
      ['app', ['example.org']],
      ['none', undefined],
      ['proxy', ['.']],
    ]);
  });

  it('attach: true is the default and no loss; attach: false is one (zabbix, zulip)', async () => {
    const { losses, problems } = await importAndValidate(
      [
        'services:',
        '  server:',
        '    image: busybox',
        '    attach: true',
        '  db:',
        '    image: busybox',
        '    attach: "false"',
        '',
      ].join('\n'),
    );
    expect(problems).toEqual([]);
    expect(losses).toEqual([
      '7:5 services.db.attach: no berth field leaves a container out of berth apply --attach (name the others instead)',
    ]);
  });

  it('refuses dockerfile beside dockerfile_inline at the inline one, as compose-go does', () => {
    const dir = tempDir('berth-import-kinds-');
    writeFileSync(
      join(dir, 'compose.yaml'),
      'services:\n  app:\n    build:\n      dockerfile: Dockerfile\n      dockerfile_inline: FROM busybox\n',
    );
    const run = () =>
      importCompose({ files: ['compose.yaml'], cwd: dir, outDir: join(dir, 'out'), profiles: [] });
    expect(run).toThrow(ComposeInputError);
    expect(run).toThrow(
      /services\.app\.build: declares mutually exclusive dockerfile and dockerfile_inline/,
    );
    try {
      run();
    } catch (e) {
      expect(e instanceof ComposeInputError && [e.where.line, e.where.column]).toEqual([5, 7]);
    }
  });

  it('carries healthcheck.start_interval as startInterval', async () => {
    const { losses, problems, loaded } = await importAndValidate(
      [
        'services:',
        '  app:',
        '    image: busybox',
        '    healthcheck: {test: [CMD, "true"], start_period: 30s, start_interval: 2s}',
        '',
      ].join('\n'),
    );
    expect(losses).toEqual([]);
    expect(problems).toEqual([]);
    const app = loaded.set.objects.find((o) => o.kind === 'Container');
    expect(app?.kind === 'Container' && app.spec.healthcheck).toMatchObject({
      startPeriodMs: 30_000,
      startIntervalMs: 2000,
    });
  });

  it('carries SELinux relabelling of bind mounts (`:z`, `:Z`, bind.selinux) and of named volumes (`name:/path:z`, as docker compose sends it)', async () => {
    const { losses, problems, loaded } = await importAndValidate(
      [
        'services:',
        '  app:',
        '    image: busybox',
        '    volumes:',
        '      - ./conf:/conf:ro,z',
        '      - ./data:/data:Z',
        '      - {type: bind, source: ./logs, target: /logs, bind: {selinux: z}}',
        '      - {type: bind, source: ./x, target: /x, bind: {selinux: q}}',
        '      - cache:/cache:z',
        '      - cache:/ro-cache:ro,Z,nocopy',
        'volumes: {cache: {}}',
        '',
      ].join('\n'),
    );
    expect(losses).toEqual([
      '8:54 services.app.volumes[3].bind.selinux: SELinux relabelling is z or Z',
    ]);
    expect(problems).toEqual([]);
    const app = loaded.set.objects.find((o) => o.kind === 'Container');
    expect(app?.kind === 'Container' && app.spec.mounts).toEqual([
      expect.objectContaining({ target: '/conf', readOnly: true, selinux: 'z' }),
      expect.objectContaining({ target: '/data', readOnly: false, selinux: 'Z' }),
      expect.objectContaining({ target: '/logs', selinux: 'z' }),
      expect.not.objectContaining({ selinux: expect.anything() }),
      expect.objectContaining({ type: 'volume', target: '/cache', selinux: 'z' }),
      {
        type: 'volume',
        volume: 'cache',
        target: '/ro-cache',
        readOnly: true,
        noCopy: true,
        selinux: 'Z',
      },
    ]);
  });

  it('reads quoted whole numbers as compose-go casts them (`retries: "3"`), keeps variables, names the rest', async () => {
    const { losses, problems, loaded } = await importAndValidate(
      [
        'services:',
        '  app:',
        '    image: busybox',
        '    healthcheck: {test: [CMD, "true"], retries: "3"}',
        '    scale: "2"',
        '  side:',
        '    image: busybox',
        '    healthcheck: {test: [CMD, "true"], retries: three}',
        '    deploy: {replicas: "${SIDES:-2}"}',
        '',
      ].join('\n'),
    );
    expect(losses).toEqual(['8:40 services.side.healthcheck.retries: not a whole number']);
    expect(problems).toEqual([]);
    const app = loaded.set.objects.find((o) => o.kind === 'Container' && o.name === 'app-1');
    expect(app?.kind === 'Container' && app.spec.healthcheck).toMatchObject({ retries: 3 });
    const names = loaded.set.objects.filter((o) => o.kind === 'Container').map((o) => o.name);
    expect(names.sort()).toEqual(['app-1', 'app-2', 'side-1', 'side-2']);
  });

  it('carries the owner of a tmpfs (`/run:uid=1000,gid=1000`) and names options berth has no field for', async () => {
    const { losses, problems, loaded } = await importAndValidate(
      [
        'services:',
        '  app:',
        '    image: busybox',
        '    tmpfs: ["/run:uid=1000,gid=${GID:-1000},size=64m", "/x:nr_inodes=1k"]',
        '',
      ].join('\n'),
    );
    expect(losses).toEqual(['4:56 services.app.tmpfs[1]:nr_inodes: not a berth tmpfs option']);
    expect(problems).toEqual([]);
    const app = loaded.set.objects.find((o) => o.kind === 'Container');
    expect(app?.kind === 'Container' && app.spec.mounts[0]).toEqual({
      type: 'tmpfs',
      target: '/run',
      sizeBytes: 64 * 1024 * 1024,
      uid: 1000,
      gid: 1000,
    });
  });

  it('carries tmpfs mount flags (`/tmp:noexec,nosuid`) and the long form’s read_only as options (F139)', async () => {
    const { losses, problems, loaded } = await importAndValidate(
      [
        'services:',
        '  app:',
        '    image: busybox',
        '    tmpfs: ["/tmp:rw,noexec,nosuid,size=1m,noexec", /plain]',
        '    volumes:',
        '      - {type: tmpfs, target: /ro, read_only: true, tmpfs: {size: 1m, mode: 1770}}',
        '      - {type: tmpfs, target: /odd, tmpfs: {uid: 5}}',
        '',
      ].join('\n'),
    );
    expect(losses).toEqual([
      '7:45 services.app.volumes[1].tmpfs.uid: not a Compose tmpfs option (size, mode)',
    ]);
    expect(problems).toEqual([]);
    const app = loaded.set.objects.find((o) => o.kind === 'Container');
    expect(app?.kind === 'Container' && app.spec.mounts).toEqual([
      { type: 'tmpfs', target: '/tmp', sizeBytes: 1024 * 1024, options: ['noexec', 'nosuid'] },
      { type: 'tmpfs', target: '/plain' },
      { type: 'tmpfs', target: '/ro', sizeBytes: 1024 * 1024, mode: 0o1770, options: ['ro'] },
      { type: 'tmpfs', target: '/odd' },
    ]);
  });
});
