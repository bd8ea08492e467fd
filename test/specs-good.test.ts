import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../specs/index.js';
import type { ContainerObject, DesiredObject, ImageObject } from '../specs/model.js';

const GOOD = join(import.meta.dirname, 'corpus', 'good');

function find<K extends DesiredObject['kind']>(objects: DesiredObject[], kind: K, name: string) {
  const object = objects.find((o) => o.kind === kind && o.name === name);
  if (!object) throw new Error(`${kind}/${name} not loaded`);
  return object as Extract<DesiredObject, { kind: K }>;
}

describe('good corpus', () => {
  it('loads every file without problems', async () => {
    const result = await loadManifests([GOOD]);
    expect(result.problems).toEqual([]);
    expect(result.set.objects.map((o) => `${o.kind}/${o.name}`).sort()).toEqual([
      'BindMount/site',
      'Container/anchors',
      'Container/db',
      'Container/hello',
      'Container/web',
      'Image/web',
      'Network/backend',
      'Network/default',
      'Network/front',
      'Volume/cache',
      'Volume/data',
    ]);
    expect(result.set.files).toEqual([join(GOOD, 'app.yaml'), join(GOOD, 'minimal.yaml')]);
  });

  it('normalises the full container', async () => {
    const { set } = await loadManifests([join(GOOD, 'app.yaml')]);
    const web: ContainerObject = find(set.objects, 'Container', 'web');
    expect(web.labels).toEqual({ team: 'a', tier: 'front' });
    expect(Object.keys(web.labels)).toEqual(['team', 'tier']);
    expect(web.spec).toEqual({
      image: { object: 'web', ref: 'local/web:1' },
      state: 'running',
      command: ['/bin/sh', '-c'],
      args: ["echo hi; trap 'exit 0' TERM; sleep 3600 & wait"],
      env: { MODE: 'prod', PORT: '8080' },
      ports: [
        { containerPort: 80, hostPort: 8080, hostIP: '127.0.0.1', protocol: 'tcp' },
        { containerPort: 53, hostPort: 5353, hostIP: '127.0.0.1', protocol: 'udp' },
        { containerPort: 9000, hostIP: '', protocol: 'tcp' },
      ],
      networks: [
        { network: 'backend', aliases: ['api', 'web-api'] },
        { network: 'front', aliases: [] },
      ],
      mounts: [
        { type: 'bind', bindMount: 'site', target: '/srv', readOnly: true },
        { type: 'volume', volume: 'data', target: '/data', readOnly: false },
        { type: 'tmpfs', target: '/tmp', sizeBytes: 64 * 1024 * 1024 },
      ],
      restartPolicy: 'OnFailure',
      dependsOn: [{ container: 'db', condition: 'healthy' }],
      healthcheck: {
        command: ['CMD', 'true'],
        intervalMs: 5000,
        timeoutMs: 2000,
        retries: 5,
        startPeriodMs: 90_000,
        restartOnUnhealthy: false,
      },
      resources: { memoryBytes: 256 * 1024 * 1024, nanoCpus: 500_000_000, pids: 256 },
      user: '1000:1000',
      workingDir: '/srv',
      stopGracePeriodMs: 1500,
      privileged: false,
      init: true,
    });
    expect(web.source).toEqual({ file: join(GOOD, 'app.yaml'), line: 51, column: 1 });
    expect(web.specHash).toMatch(/^[0-9a-f]{16}$/);
  });

  it('fills defaults and resolves paths', async () => {
    const { set } = await loadManifests([GOOD]);
    expect(find(set.objects, 'Container', 'hello').spec).toMatchObject({
      image: { ref: 'localhost/berth-busybox:1' },
      state: 'running',
      restartPolicy: 'Always',
      stopGracePeriodMs: 10_000,
      privileged: false,
      init: false,
      env: {},
      ports: [],
    });
    expect(find(set.objects, 'Container', 'db').spec.healthcheck).toEqual({
      command: ['CMD', 'true'],
      intervalMs: 30_000,
      timeoutMs: 30_000,
      retries: 3,
      startPeriodMs: 0,
      restartOnUnhealthy: true,
    });
    expect(find(set.objects, 'Volume', 'cache').spec).toEqual({
      driver: 'local',
      options: {},
      retain: true,
    });
    expect(find(set.objects, 'Network', 'front').spec).toEqual({
      driver: 'bridge',
      internal: false,
      attachable: false,
      options: {},
    });
    expect(find(set.objects, 'BindMount', 'site').spec).toEqual({
      hostPath: join(GOOD, 'site'),
      type: 'Directory',
    });
    const anchors = find(set.objects, 'Container', 'anchors').spec;
    expect(anchors.env).toEqual({ A: 'x', B: '2' });
    expect(anchors.stopGracePeriodMs).toBe(3000);
    expect(anchors.resources).toEqual({ memoryBytes: 8388608 });
    expect(anchors.ports).toEqual([
      { containerPort: 80, hostPort: 8081, hostIP: '::1', protocol: 'tcp' },
    ]);
  });

  it('normalises the image build, with a content hash over the sent files', async () => {
    const { set } = await loadManifests([join(GOOD, 'app.yaml')]);
    const image: ImageObject = find(set.objects, 'Image', 'web');
    expect(image.spec).toMatchObject({
      ref: 'local/web:1',
      pullPolicy: 'Never',
      build: {
        context: join(GOOD, 'web'),
        dockerfile: 'Dockerfile',
        args: { DEBUG: 'false', VERSION: '1' },
        target: 'prod',
      },
    });
    expect(image.spec.build?.contentHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('reads stdin, resolving relative host paths against cwd', async () => {
    const stdin =
      'apiVersion: berth/v1\nkind: BindMount\nmetadata: {name: here}\nspec: {hostPath: ./x}\n';
    const result = await loadManifests(['-'], { stdin, cwd: '/srv/app' });
    expect(result.problems).toEqual([]);
    expect(result.files.map((f) => f.file)).toEqual(['<stdin>']);
    expect(find(result.set.objects, 'BindMount', 'here').spec.hostPath).toBe('/srv/app/x');
    expect(result.set.files).toEqual([]);
  });

  it('allows an empty input only when asked', async () => {
    const empty = await loadManifests(['-'], { stdin: '# nothing\n' });
    expect(empty.problems.map((p) => [p.file, p.code])).toEqual([['<stdin>', 'E_EMPTY']]);
    const allowed = await loadManifests(['-'], { stdin: '# nothing\n', allowEmpty: true });
    expect(allowed.problems).toEqual([]);
  });

  it('refuses privileged unless the policy allows it, and honours a custom policy', async () => {
    const stdin =
      'apiVersion: berth/v1\nkind: Container\nmetadata: {name: p}\nspec: {image: "a:1", privileged: true}\n';
    expect((await loadManifests(['-'], { stdin })).problems.map((p) => p.code)).toEqual([
      'E_POLICY',
    ]);
    const policy = { forbiddenHostPaths: [], allowPrivileged: true };
    expect((await loadManifests(['-'], { stdin, policy })).problems).toEqual([]);
  });
});
