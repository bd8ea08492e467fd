import { describe, expect, it } from 'vitest';
import { LABEL, ownershipLabels } from '../../labels.js';
import type { ContainerCreateRequest, EngineEvent } from '../engine.js';
import { EngineError, isEngineError } from '../engine.js';
import { MemoryEngine } from './memory-engine.js';
import { createRequest } from '../testing/create-request.js';

const IMAGE = 'local/app:1';

function setup(now = () => 1_000) {
  const engine = new MemoryEngine({ now });
  engine.addImage(IMAGE, 'abc123');
  return engine;
}

function req(name: string, extra: Partial<ContainerCreateRequest> = {}): ContainerCreateRequest {
  return createRequest({
    name: `p-${name}`,
    image: IMAGE,
    labels: ownershipLabels('p', 'Container', name, 'h'),
    ...extra,
  });
}

async function running(
  engine: MemoryEngine,
  name: string,
  extra: Partial<ContainerCreateRequest> = {},
) {
  const { id } = await engine.createContainer(req(name, extra));
  await engine.startContainer(id);
  return id;
}

const stateOf = async (engine: MemoryEngine, id: string) =>
  (await engine.inspectContainer(id))?.state;

describe('MemoryEngine', () => {
  it('injects a failure for the next N calls of one operation, then recovers', async () => {
    const engine = setup();
    const { id } = await engine.createContainer(req('a'));
    engine.failNext('startContainer', 'E_ENGINE', 2);
    await expect(engine.startContainer(id)).rejects.toMatchObject({ code: 'E_ENGINE' });
    await expect(engine.startContainer(id)).rejects.toMatchObject({ code: 'E_ENGINE' });
    expect(await engine.startContainer(id)).toEqual({ changed: true });
    const custom = new EngineError('E_ENGINE_UNREACHABLE', 'gone');
    engine.failNext('observe', custom);
    await expect(engine.observe({})).rejects.toBe(custom);
  });

  it('counts calls and mutating calls separately', async () => {
    const engine = setup();
    const id = await running(engine, 'a');
    await engine.observe({ project: 'p' });
    await engine.inspectContainer(id);
    await engine.startContainer(id);
    expect(engine.calls).toMatchObject({
      createContainer: 1,
      startContainer: 2,
      observe: 1,
      inspectContainer: 1,
    });
    expect(engine.mutatingCalls()).toBe(3);
  });

  it('restarts a crash per restart policy, never a stop or kill through the API', async () => {
    const engine = setup();
    const always = await running(engine, 'always', { restartPolicy: 'unless-stopped' });
    const onFailure = await running(engine, 'onf', { restartPolicy: 'on-failure' });
    const never = await running(engine, 'never', { restartPolicy: 'no' });
    engine.crash(always, 0);
    engine.crash(onFailure, 0);
    engine.crash(never, 1);
    expect(await stateOf(engine, always)).toBe('running');
    expect((await engine.inspectContainer(always))?.restartCount).toBe(1);
    expect(await stateOf(engine, onFailure)).toBe('exited');
    expect(await stateOf(engine, never)).toBe('exited');
    expect((await engine.inspectContainer(never))?.exitCode).toBe(1);
    await engine.startContainer(onFailure);
    engine.crash(onFailure, 2);
    expect(await stateOf(engine, onFailure)).toBe('running');
    await engine.killContainer(always);
    expect(await stateOf(engine, always)).toBe('exited');
    expect((await engine.inspectContainer(always))?.exitCode).toBe(137);
  });

  it('models dead containers: cannot start, can remove', async () => {
    const engine = setup();
    const id = await running(engine, 'd');
    engine.setState(id, 'dead');
    expect((await engine.observe({ project: 'p' })).containers[0]?.state).toBe('dead');
    expect(isEngineError(await engine.startContainer(id).catch((e) => e), 'E_CONFLICT')).toBe(true);
    expect(await engine.removeContainer(id)).toEqual({ changed: true });
  });

  it('takes host ports at start and refuses a port already taken', async () => {
    const engine = setup();
    const port = { containerPort: 80, hostPort: 8080, hostIP: '127.0.0.1', protocol: 'tcp' };
    await running(engine, 'one', { ports: [port] });
    const { id } = await engine.createContainer(req('two', { ports: [port] }));
    await expect(engine.startContainer(id)).rejects.toMatchObject({ code: 'E_ENGINE' });
    expect(await stateOf(engine, id)).toBe('created');
  });

  it('publishes a host range on a free port of it, as the engine does, and refuses when none is left', async () => {
    const engine = setup();
    const range = {
      containerPort: 80,
      hostPort: 8080,
      hostPortEnd: 8081,
      hostIP: '',
      protocol: 'tcp',
    };
    const first = await running(engine, 'one', { ports: [range] });
    const second = await running(engine, 'two', { ports: [range] });
    const bound = async (id: string) => (await engine.inspectContainer(id))?.ports[0]?.hostPort;
    expect([await bound(first), await bound(second)]).toEqual([8080, 8081]);
    const { id } = await engine.createContainer(req('three', { ports: [range] }));
    await expect(engine.startContainer(id)).rejects.toMatchObject({ code: 'E_ENGINE' });
  });

  it('pulls only what the registry was seeded with; a moved tag leaves the old image untagged', async () => {
    const engine = setup();
    await expect(engine.pullImage('reg.local/x:1')).rejects.toMatchObject({ code: 'E_IMAGE_PULL' });
    engine.registry.set('reg.local/x:1', 'aaa');
    expect((await engine.pullImage('reg.local/x:1')).id).toBe('sha256:aaa');
    engine.registry.set('reg.local/x:1', 'bbb');
    const moved = await engine.pullImage('reg.local/x:1');
    expect(moved.id).toBe('sha256:bbb');
    const images = (await engine.observe({})).images;
    expect(images.find((i) => i.id === 'sha256:aaa')?.repoTags).toEqual([]);
    expect(moved.repoDigests[0]).toMatch(/^reg\.local\/x@sha256:/);
  });

  it('builds the same id from the same request, another from changed args', async () => {
    const engine = setup();
    const build = {
      contextDir: '/c',
      files: ['Dockerfile'],
      dockerfile: 'Dockerfile',
      tag: 'b:1',
      args: {},
      labels: { [LABEL.project]: 'p' },
    };
    const first = await engine.buildImage(build);
    expect((await engine.buildImage(build)).id).toBe(first.id);
    expect((await engine.buildImage({ ...build, args: { V: '2' } })).id).not.toBe(first.id);
    expect(first.labels[LABEL.project]).toBe('p');
  });

  it('delivers events to project subscribers with the injected clock, and loses them when dropped', async () => {
    let clock = 5_000;
    const engine = setup(() => clock);
    const seen: EngineEvent[] = [];
    const sub = engine.subscribeEvents({ project: 'p' }, (e) => seen.push(e));
    const id = await running(engine, 'ev');
    await engine.createContainer({
      ...req('x'),
      name: 'q-x',
      labels: ownershipLabels('q', 'Container', 'x', 'h'),
    });
    engine.dropEvents(true);
    await engine.pauseContainer(id);
    engine.dropEvents(false);
    clock = 6_000;
    await engine.unpauseContainer(id);
    expect(seen.map((e) => e.action)).toEqual(['create', 'start', 'unpause']);
    expect(seen.map((e) => e.time)).toEqual([5_000, 5_000, 6_000]);
    sub.close();
    await sub.ended;
    const replay: EngineEvent[] = [];
    const past = engine.subscribeEvents({ project: 'p', since: 5_500, until: 7_000 }, (e) =>
      replay.push(e),
    );
    await past.ended;
    expect(replay.map((e) => e.action)).toEqual(['unpause']);
  });

  it('waits the injected latency on every call', async () => {
    const engine = setup();
    engine.setLatency(30);
    const started = Date.now();
    await engine.observe({});
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
  });

  it('reports health changes with the engine event', async () => {
    const engine = setup();
    const seen: string[] = [];
    engine.subscribeEvents({ project: 'p' }, (e) => seen.push(e.action));
    const id = await running(engine, 'h', {
      healthcheck: {
        test: ['CMD', 'true'],
        intervalMs: 1000,
        timeoutMs: 1000,
        retries: 1,
        startPeriodMs: 0,
      },
    });
    expect((await engine.inspectContainer(id))?.health).toBe('starting');
    engine.setHealth(id, 'unhealthy');
    expect((await engine.observe({ project: 'p' })).containers[0]?.health).toBe('unhealthy');
    expect(seen).toContain('health_status: unhealthy');
  });
});
