import { describe, expect, it } from 'vitest';
import { eventInProject } from '../event-scope.js';
import { fromRawEvent, jsonLines } from './docker-events.js';
import { pullReason } from './docker-errors.js';
import {
  exitCodeFromStatus,
  fromContainerSummary,
  healthFromStatus,
  settingsOf,
  splitRef,
  toCreateBody,
  toState,
  toUpdateBody,
} from './docker-mapping.js';

describe('toCreateBody', () => {
  it('maps a request to the Docker create body', () => {
    const body = toCreateBody({
      name: 'p-web',
      image: 'img:1',
      labels: { a: 'b' },
      entrypoint: ['/bin/sh', '-c'],
      cmd: ['echo hi'],
      env: { A: '1', B: 'x=y' },
      ports: [
        { containerPort: 80, hostPort: 8080, hostIP: '127.0.0.1', protocol: 'tcp' },
        { containerPort: 53, hostIP: '', protocol: 'udp' },
      ],
      mounts: [
        { type: 'bind', source: '/srv', target: '/www', readOnly: true },
        { type: 'tmpfs', target: '/tmp', sizeBytes: 1024 },
      ],
      networks: [
        { name: 'p-front', aliases: ['web'] },
        { name: 'p-back', aliases: [] },
      ],
      restartPolicy: 'unless-stopped',
      healthcheck: {
        test: ['CMD', 'true'],
        intervalMs: 5000,
        timeoutMs: 2000,
        retries: 3,
        startPeriodMs: 1000,
      },
      memoryBytes: 268435456,
      nanoCpus: 500000000,
      pidsLimit: 64,
      stopTimeoutSec: 10,
      init: true,
      privileged: false,
    });
    expect(body).toMatchObject({
      Image: 'img:1',
      Entrypoint: ['/bin/sh', '-c'],
      Cmd: ['echo hi'],
      Env: ['A=1', 'B=x=y'],
      ExposedPorts: { '80/tcp': {}, '53/udp': {} },
      StopTimeout: 10,
      Healthcheck: {
        Test: ['CMD', 'true'],
        Interval: 5e9,
        Timeout: 2e9,
        Retries: 3,
        StartPeriod: 1e9,
      },
      HostConfig: {
        PortBindings: {
          '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '8080' }],
          '53/udp': [{ HostIp: '', HostPort: '' }],
        },
        Mounts: [
          { Type: 'bind', Source: '/srv', Target: '/www', ReadOnly: true },
          { Type: 'tmpfs', Target: '/tmp', TmpfsOptions: { SizeBytes: 1024 } },
        ],
        RestartPolicy: { Name: 'unless-stopped', MaximumRetryCount: 0 },
        Memory: 268435456,
        NanoCpus: 500000000,
        PidsLimit: 64,
        Init: true,
        NetworkMode: 'p-front',
      },
      NetworkingConfig: { EndpointsConfig: { 'p-front': { Aliases: ['web'] } } },
    });
    expect(
      Object.keys((body.NetworkingConfig as { EndpointsConfig: object }).EndpointsConfig),
    ).toEqual(['p-front']);
    expect(body).not.toHaveProperty('User');
  });
});

describe('list entries', () => {
  it('reads state, exit code and health from the list only', () => {
    expect(exitCodeFromStatus('Exited (137) 3 seconds ago')).toBe(137);
    expect(exitCodeFromStatus('Up 2 seconds')).toBeUndefined();
    expect(healthFromStatus('Up 5 seconds (healthy)')).toBe('healthy');
    expect(healthFromStatus('Up 5 seconds (unhealthy)')).toBe('unhealthy');
    expect(healthFromStatus('Up 1 second (health: starting)')).toBe('starting');
    const c = fromContainerSummary({
      Id: 'x',
      Names: ['/p-web'],
      State: 'paused',
      Status: 'Up 3 seconds (Paused)',
      Created: 10,
      NetworkSettings: { Networks: { b: {}, a: {} } },
      Ports: [{ PrivatePort: 80, Type: 'tcp' }],
    });
    expect(c).toMatchObject({
      name: 'p-web',
      state: 'paused',
      createdAt: 10_000,
      networks: ['a', 'b'],
      health: 'none',
    });
    expect(c.ports).toEqual([{ containerPort: 80, protocol: 'tcp' }]);
  });

  it('splits references for pulls', () => {
    expect(splitRef('busybox')).toEqual({ repo: 'busybox', tag: 'latest' });
    expect(splitRef('localhost:5000/a/b:2')).toEqual({ repo: 'localhost:5000/a/b', tag: '2' });
    expect(splitRef('localhost:5000/a')).toEqual({ repo: 'localhost:5000/a', tag: 'latest' });
    expect(splitRef('r/a:1@sha256:ab')).toEqual({ repo: 'r/a', tag: 'sha256:ab' });
  });

  it('classifies pull failures', () => {
    expect(pullReason('Get "https://r/v2/": dial tcp: lookup r: no such host')).toBe(
      'registry unreachable',
    );
    expect(pullReason('pull access denied for x, repository does not exist')).toBe('unauthorized');
    expect(pullReason('manifest for r/x:1 not found: manifest unknown')).toBe('not found');
    expect(pullReason('no basic auth credentials')).toBe('unauthorized');
  });
});

describe('event stream', () => {
  it('reassembles JSON lines split across chunks and skips garbage', () => {
    const values: unknown[] = [];
    const lines = jsonLines((v) => values.push(v));
    lines.push('{"a":1}\n{"b"');
    lines.push(':2}\nnot json\n{"c"');
    lines.push(Buffer.from(':3}'));
    expect(values).toEqual([{ a: 1 }, { b: 2 }]);
    lines.end();
    expect(values).toEqual([{ a: 1 }, { b: 2 }, { c: 3 }]);
  });

  it('matches containers by label and networks/volumes by name prefix', () => {
    const container = fromRawEvent({
      Type: 'container',
      Action: 'die',
      Actor: {
        ID: 'c1',
        Attributes: { name: 'p-web', image: 'i', exitCode: '3', 'berth.project': 'p' },
      },
      timeNano: 1_700_000_000_123 * 1_000_000 + 456_789,
    });
    expect(container).toMatchObject({
      id: 'c1',
      name: 'p-web',
      labels: { 'berth.project': 'p' },
      time: 1_700_000_000_123,
    });
    expect(container?.attributes?.exitCode).toBe('3');
    expect(eventInProject(container!, { project: 'p' })).toBe(true);
    expect(eventInProject(container!, { project: 'q' })).toBe(false);
    const volume = fromRawEvent({
      Type: 'volume',
      Action: 'destroy',
      Actor: { ID: 'p-data', Attributes: { driver: 'local' } },
      time: 1,
    });
    expect(volume?.name).toBe('p-data');
    expect(eventInProject(volume!, { project: 'p' })).toBe(true);
    expect(eventInProject(volume!, { project: 'pp' })).toBe(false);
    expect(fromRawEvent({ Type: 'daemon', Action: 'reload' })).toBeUndefined();
  });

  it("keeps an exec's action name, never its command line; a health status keeps its verdict (F660)", () => {
    const exec = (Action: string) =>
      fromRawEvent({ Type: 'container', Action, Actor: { ID: 'x', Attributes: { name: 'p-w' } } });
    expect(exec('exec_create: sh -c echo CANARY_9924')?.action).toBe('exec_create');
    expect(exec('exec_start: sh -c echo CANARY_9924')?.action).toBe('exec_start');
    expect(exec('exec_die')?.action).toBe('exec_die');
    expect(exec('health_status: healthy')?.action).toBe('health_status: healthy');
  });

  it("reads Podman's `remove` of a container or volume as `destroy`", () => {
    for (const Type of ['container', 'volume']) {
      expect(fromRawEvent({ Type, Action: 'remove', Actor: { ID: 'x' } })?.action).toBe('destroy');
    }
    expect(fromRawEvent({ Type: 'image', Action: 'remove', Actor: { ID: 'x' } })?.action).toBe(
      'remove',
    );
  });
});

describe('toState', () => {
  it('reads Docker’s words as they are, and an unknown one as dead', () => {
    for (const word of ['created', 'running', 'paused', 'restarting', 'removing', 'exited', 'dead'])
      expect(toState(word)).toBe(word);
    expect(toState('Running')).toBe('running');
    expect(toState('bogus')).toBe('dead');
  });

  it('reads Podman’s own words as the Docker state they are (a crash-looping container is `stopped` between runs: not dead)', () => {
    expect(toState('stopped')).toBe('exited');
    expect(toState('stopping')).toBe('running');
    expect(toState('configured')).toBe('created');
    expect(toState('initialized')).toBe('created');
  });
});

describe('settings changed in place (F272)', () => {
  it('reads them from HostConfig, 0, empty and null as not set', () => {
    expect(
      settingsOf({
        RestartPolicy: { Name: '', MaximumRetryCount: 0 },
        Memory: 33554432,
        MemorySwap: 67108864,
        NanoCpus: 0,
        CpuShares: 0,
        CpusetCpus: '',
        PidsLimit: null,
      }),
    ).toEqual({ restartPolicy: 'no', memoryBytes: 33554432, memorySwapBytes: 67108864 });
    expect(settingsOf({ RestartPolicy: { Name: 'unless-stopped' }, PidsLimit: 0 })).toEqual({
      restartPolicy: 'unless-stopped',
    });
  });

  it('sends only what is given; a memory limit without swap gets twice it as swap', () => {
    expect(toUpdateBody({ restartPolicy: 'always', memoryBytes: 100, pidsLimit: 0 })).toEqual({
      RestartPolicy: { Name: 'always', MaximumRetryCount: 0 },
      Memory: 100,
      MemorySwap: 200,
      PidsLimit: 0,
    });
  });

  it('maps the engine event `update` to the change `updated`', () => {
    const raw = { Type: 'container', Action: 'update', Actor: { ID: 'c1', Attributes: {} } };
    expect(fromRawEvent(raw)?.change).toBe('updated');
  });
});
