import { PassThrough } from 'node:stream';
import type Dockerode from 'dockerode';
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../engine.js';
import { subscribeDockerEvents } from './docker-event-stream.js';

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
