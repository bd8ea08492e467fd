import { describe, expect, it } from 'vitest';
import type { ContainerDetails, Engine, ObservedContainer } from './engine/engine.js';
import { withCrashLoopsSeen } from './crash-loops-seen.js';

const NOW = 1_000_000;

function listed(
  id: string,
  startedAt: number,
  labels = { 'berth.project': 'p' },
): ObservedContainer {
  return {
    id,
    name: `p-${id}`,
    labels,
    state: 'running',
    imageId: 'sha256:i',
    imageRef: 'img',
    createdAt: NOW - 60_000,
    startedAt,
    health: 'none',
    networks: [],
    ports: [],
  };
}

/** An engine that answers inspect from `details` and counts the calls. */
function engineWith(details: Record<string, Partial<ContainerDetails>>) {
  const inspected: string[] = [];
  const engine = {
    inspectContainer: async (id: string) => {
      inspected.push(id);
      const d = details[id];
      return d
        ? ({ ...listed(id, NOW), restartCount: 0, exitCode: 0, ...d } as ContainerDetails)
        : undefined;
    },
  } as unknown as Engine;
  return { engine, inspected };
}

const empty = { networks: [], volumes: [], images: [] };

describe('a crash loop the list caught running (F420)', () => {
  it('is observed restarting when the engine restarted it moments ago', async () => {
    const { engine, inspected } = engineWith({
      a: { restartCount: 4, startedAt: NOW - 300, state: 'running' },
    });
    const observed = { ...empty, containers: [listed('a', NOW - 1_000)] };
    const seen = await withCrashLoopsSeen(engine, observed, {
      project: 'p',
      berthStarts: {},
      now: NOW,
    });
    expect(inspected).toEqual(['a']);
    expect(seen.containers[0]?.state).toBe('restarting');
  });

  it('is left running when its run is berth start and up without restarts', async () => {
    const { engine, inspected } = engineWith({ a: { restartCount: 0, startedAt: NOW - 1_000 } });
    const observed = { ...empty, containers: [listed('a', NOW - 1_000)] };
    const seen = await withCrashLoopsSeen(engine, observed, {
      project: 'p',
      berthStarts: { a: NOW - 900 },
      now: NOW,
    });
    // berth's own start, seen in the list: no call at all.
    expect(inspected).toEqual([]);
    expect(seen).toBe(observed);
  });

  it('costs no call for a project up longer than the crash-loop window, nor for other projects', async () => {
    const { engine, inspected } = engineWith({});
    const observed = {
      ...empty,
      containers: [listed('a', NOW - 60_000), listed('b', NOW - 500, { 'berth.project': 'q' })],
    };
    const seen = await withCrashLoopsSeen(engine, observed, {
      project: 'p',
      berthStarts: {},
      now: NOW,
    });
    expect(inspected).toEqual([]);
    expect(seen).toBe(observed);
  });

  it('is left running when started by hand without a restart of the engine', async () => {
    const { engine } = engineWith({ a: { restartCount: 0, startedAt: NOW - 2_000 } });
    const observed = { ...empty, containers: [listed('a', NOW - 2_000)] };
    const seen = await withCrashLoopsSeen(engine, observed, {
      project: 'p',
      berthStarts: {},
      now: NOW,
    });
    expect(seen.containers[0]?.state).toBe('running');
  });
});

describe('apply observes a crash loop the list caught running as restarting (F420)', () => {
  it('through observeProject with crashLoops, as apply asks', async () => {
    const { observeProject } = await import('./observe.js');
    const { engine } = engineWith({ a: { restartCount: 2, startedAt: NOW - 200 } });
    const already = { ...empty, containers: [listed('a', NOW - 1_000)] };
    const seen = await observeProject(engine, 'p', [], already, {
      crashLoops: { berthStarts: {}, now: NOW },
    });
    expect(seen.observed.containers[0]?.state).toBe('restarting');
  });
});
