import { PassThrough } from 'node:stream';
import type Dockerode from 'dockerode';
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../engine.js';
import { podmanFollowWindow, subscribeDockerEvents } from './docker-event-stream.js';

/** A dockerode stand-in whose `getEvents` hands out one stream per call and keeps the filters. */
function fakeDocker() {
  const calls: {
    filters: Record<string, string[]>;
    query: Record<string, unknown>;
    stream: PassThrough;
  }[] = [];
  const docker = {
    getEvents: ({
      filters,
      abortSignal: _signal,
      ...query
    }: {
      filters: Record<string, string[]>;
      abortSignal?: AbortSignal;
    }) => {
      const stream = new PassThrough();
      calls.push({ filters, query, stream });
      return Promise.resolve(stream);
    },
  } as unknown as Dockerode;
  return { docker, calls };
}

const raw = (type: string, action: string, attributes: Record<string, string>) =>
  JSON.stringify({
    Type: type,
    Action: action,
    Actor: { ID: 'x', Attributes: attributes },
    timeNano: 1e15,
  }) + '\n';

const tick = () => new Promise((r) => setTimeout(r, 10));

describe('subscribeDockerEvents', () => {
  it("asks the engine for the project's container events by label, networks and volumes by type", async () => {
    const { docker, calls } = fakeDocker();
    const events: EngineEvent[] = [];
    const s = subscribeDockerEvents(docker, { project: 'p' }, (e) => events.push(e));
    await tick();
    expect(calls.map((c) => c.filters)).toEqual([
      { type: ['container'], label: ['berth.project=p'] },
      { type: ['network', 'volume'] },
    ]);
    calls[0]!.stream.write(raw('container', 'start', { 'berth.project': 'p', name: 'p-a' }));
    calls[1]!.stream.write(raw('network', 'destroy', { name: 'p-net' }));
    calls[1]!.stream.write(raw('network', 'destroy', { name: 'q-net' }));
    await tick();
    expect(events.map((e) => `${e.type} ${e.action}`)).toEqual([
      'container start',
      'network destroy',
    ]);
    s.close();
    await s.ended;
  });

  it('without a project, asks for the containers carrying the project label at all', async () => {
    const { docker, calls } = fakeDocker();
    const s = subscribeDockerEvents(docker, {}, () => undefined);
    await tick();
    expect(calls[0]?.filters).toEqual({ type: ['container'], label: ['berth.project'] });
    s.close();
    await s.ended;
  });

  it('following, ends when either stream ends and closes the other', async () => {
    const { docker, calls } = fakeDocker();
    const s = subscribeDockerEvents(docker, { project: 'p' }, () => undefined);
    await tick();
    calls[1]!.stream.end();
    await s.ended;
    expect(calls[0]!.stream.destroyed).toBe(true);
  });

  it('replaying (until), ends only when both streams did, with the events of both', async () => {
    const { docker, calls } = fakeDocker();
    const events: EngineEvent[] = [];
    const s = subscribeDockerEvents(docker, { project: 'p', since: 0, until: 2e12 }, (e) =>
      events.push(e),
    );
    let ended = false;
    void s.ended.then(() => (ended = true));
    await tick();
    calls[0]!.stream.end(raw('container', 'die', { 'berth.project': 'p' }));
    await tick();
    expect(ended).toBe(false);
    calls[1]!.stream.end(raw('volume', 'destroy', { name: 'p-data' }));
    await s.ended;
    expect(events.map((e) => e.type)).toEqual(['container', 'volume']);
  });

  it('close() aborts a request whose answer has not begun (a proxy holding the headers)', async () => {
    const signals: AbortSignal[] = [];
    const docker = {
      getEvents: (options: { abortSignal: AbortSignal }) => {
        signals.push(options.abortSignal);
        // The answer never begins: only an abort settles the request.
        return new Promise((_resolve, reject) =>
          options.abortSignal.addEventListener('abort', () => reject(new Error('aborted'))),
        );
      },
    } as unknown as Dockerode;
    const s = subscribeDockerEvents(docker, { project: 'p' }, () => undefined);
    await tick();
    expect(signals.map((x) => x.aborted)).toEqual([false, false]);
    s.close();
    await s.ended;
    expect(signals.map((x) => x.aborted)).toEqual([true, true]);
  });

  it('replaying the past from Podman, asks for what is logged (stream=false) and drops what came after until', async () => {
    const { docker, calls } = fakeDocker();
    const events: EngineEvent[] = [];
    const until = 1e12;
    const s = subscribeDockerEvents(
      docker,
      { project: 'p', since: 0, until },
      (e) => events.push(e),
      undefined,
      true,
    );
    await tick();
    expect(calls.map((c) => c.query)).toEqual([
      { since: 0, stream: false },
      { since: 0, stream: false },
    ]);
    const at = (ms: number, action: string) =>
      JSON.stringify({
        Type: 'container',
        Action: action,
        Actor: { ID: 'x', Attributes: { 'berth.project': 'p' } },
        timeNano: ms * 1e6,
      }) + '\n';
    calls[0]!.stream.end(at(until - 1000, 'start') + at(until + 1000, 'die'));
    calls[1]!.stream.end();
    await s.ended;
    expect(events.map((e) => e.action)).toEqual(['start']);
  });

  it('on Docker, a replay keeps until for the engine', async () => {
    const { docker, calls } = fakeDocker();
    const s = subscribeDockerEvents(
      docker,
      { project: 'p', since: 0, until: 1e12 },
      () => undefined,
    );
    await tick();
    expect(calls[0]?.query).toEqual({ since: 0, until: 1e9 });
    s.close();
    await s.ended;
  });
});

describe('podmanFollowWindow (Podman reads its events log late: what came before is replayed)', () => {
  it('on Podman, follows from the moment berth subscribed', () => {
    expect(podmanFollowWindow({ project: 'p' }, true, 1_700_000_000_123)).toEqual({
      project: 'p',
      since: 1_700_000_000_123,
    });
  });

  it("leaves Docker, a replay and a caller's own since alone", () => {
    expect(podmanFollowWindow({ project: 'p' }, false, 5)).toEqual({ project: 'p' });
    expect(podmanFollowWindow({ until: 9 }, true, 5)).toEqual({ until: 9 });
    expect(podmanFollowWindow({ since: 3 }, true, 5)).toEqual({ since: 3 });
  });

  it('asks the engine for whole seconds and drops what precedes the moment to the ms', async () => {
    const { docker, calls } = fakeDocker();
    const events: EngineEvent[] = [];
    const at = 1e12 + 600; // 600 ms into a second
    const s = subscribeDockerEvents(docker, podmanFollowWindow({ project: 'p' }, true, at), (e) =>
      events.push(e),
    );
    await tick();
    expect(calls[0]?.query).toEqual({ since: 1e9 });
    const at_ = (ms: number, name: string) =>
      JSON.stringify({
        Type: 'container',
        Action: 'start',
        Actor: { ID: name, Attributes: { 'berth.project': 'p', name } },
        timeNano: ms * 1e6,
      }) + '\n';
    calls[0]!.stream.write(at_(at - 100, 'p-before'));
    calls[0]!.stream.write(at_(at + 100, 'p-after'));
    await tick();
    expect(events.map((e) => e.name)).toEqual(['p-after']);
    s.close();
    await s.ended;
  });
});
