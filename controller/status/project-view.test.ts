import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryEngine } from '../engine/memory/memory-engine.js';
import { StartLog } from '../records/starts.js';
import { desiredFromRecord, loadProjectView } from './project-view.js';
import { NOW, containerObject, ownedCreateRequest } from './testing/fixtures.js';

const PROJECT = 'big';
const IMAGE = 'localhost/berth-busybox:1';
let stateDir: string;

beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'berth-view-'));
});
afterEach(async () => {
  await rm(stateDir, { recursive: true, force: true });
});

const request = (name: string) => ownedCreateRequest(PROJECT, name, IMAGE);

/** The view of containers `names` as declared, at `now`, counting only its own engine calls. */
function viewOf(engine: MemoryEngine, names: string[], now: number) {
  engine.resetCalls();
  const desired = {
    objects: names.map((name) => containerObject(name)),
    source: 'files' as const,
  };
  return loadProjectView(engine, { stateDir, project: PROJECT, desired, now });
}

/** A converged project of `n` containers berth started just now on a fresh in-memory engine. */
async function projectOf(n: number): Promise<{ engine: MemoryEngine; names: string[] }> {
  const engine = new MemoryEngine({ now: () => NOW });
  engine.addImage(IMAGE);
  const starts = new StartLog({ stateDir, project: PROJECT }, () => NOW);
  const names = Array.from({ length: n }, (_, i) => `c${i}`);
  for (const name of names)
    await starts.noting(engine).startContainer((await engine.createContainer(request(name))).id);
  await starts.settled();
  engine.resetCalls();
  return { engine, names };
}

async function callsForStatus(
  n: number,
): Promise<{ calls: Record<string, number>; inSync: boolean }> {
  const { engine, names } = await projectOf(n);
  const desired = { objects: names.map((name) => containerObject(name)), source: 'files' as const };
  const view = await loadProjectView(engine, { stateDir, project: PROJECT, desired, now: NOW });
  return { calls: { ...engine.calls }, inSync: view.status.inSync };
}

describe('loadProjectView', () => {
  // Observing costs a constant number of engine calls (issue 18): the list answer settles the
  // readiness of a container that is up since berth started it.
  it('costs one observe and no inspect, whatever the number of containers', async () => {
    const small = await callsForStatus(3);
    const large = await callsForStatus(100);
    expect(large.inSync).toBe(true);
    expect(small.inSync).toBe(true);
    expect(small.calls).toEqual({ observe: 1 });
    expect(large.calls).toEqual({ observe: 1 });
  });

  it('inspects a container the engine restarted moments ago, for its restarts and crash loop', async () => {
    let now = NOW - 60_000;
    const engine = new MemoryEngine({ now: () => now });
    engine.addImage(IMAGE);
    const ids: string[] = [];
    for (const name of ['calm', 'loop']) {
      ids.push((await engine.createContainer(request(name))).id);
      await engine.startContainer(ids.at(-1)!);
    }
    now = NOW - 2_000;
    engine.crash(ids[1]!, 3);
    now = NOW;
    const view = await viewOf(engine, ['calm', 'loop'], now);
    expect(engine.calls).toEqual({ observe: 1, inspectContainer: 1 });
    const loop = view.status.objects.find((o) => o.name === 'loop');
    expect(loop).toMatchObject({ restarts: 1, ready: false });
    expect(JSON.stringify(loop?.conditions)).toContain('CrashLoopBackOff');
    expect(view.status.objects.find((o) => o.name === 'calm')).toMatchObject({
      restarts: 0,
      ready: true,
    });
  });

  it('inspects a container the engine restarted right after berth started it, and only that one', async () => {
    let now = NOW - 4_000;
    const engine = new MemoryEngine({ now: () => now });
    engine.addImage(IMAGE);
    const starts = new StartLog({ stateDir, project: PROJECT }, () => now);
    const ids: string[] = [];
    for (const name of ['loop', 'late']) {
      ids.push((await engine.createContainer(request(name))).id);
      if (name === 'late') now = NOW - 2_000;
      await starts.noting(engine).startContainer(ids.at(-1)!);
    }
    engine.crash(ids[0]!, 3); // the engine's restart policy starts it again at once
    await starts.settled();
    now = NOW;
    const view = await viewOf(engine, ['loop', 'late'], now);
    expect(engine.calls).toEqual({ observe: 1, inspectContainer: 1 });
    expect(view.status.objects.find((o) => o.name === 'loop')).toMatchObject({
      restarts: 1,
      ready: false,
    });
    expect(view.status.objects.find((o) => o.name === 'late')).toMatchObject({
      restarts: 0,
      ready: true,
    });
  });

  it('inspects only the object describe asks for', async () => {
    const { engine, names } = await projectOf(5);
    const desired = {
      objects: names.map((name) => containerObject(name)),
      source: 'files' as const,
    };
    const view = await loadProjectView(engine, {
      stateDir,
      project: PROJECT,
      desired,
      now: NOW,
      inspect: ['c2'],
    });
    expect(engine.calls).toEqual({ observe: 1, inspectContainer: 1 });
    expect(view.status.objects.find((o) => o.name === 'c2')?.restartCount).toBe(0);
    // Not inspected: what the list says (no restarts known, none counted).
    expect(view.status.objects.find((o) => o.name === 'c3')?.restarts).toBe(0);
  });

  it('compares against nothing, and says so, when no apply is recorded', async () => {
    const { engine } = await projectOf(2);
    const desired = await desiredFromRecord(stateDir, PROJECT);
    const view = await loadProjectView(engine, { stateDir, project: PROJECT, desired, now: NOW });
    expect(view.status).toMatchObject({
      inSync: false,
      desiredSource: 'none',
      undeclared: ['Container/c0', 'Container/c1'],
    });
    expect(view.status.notice).toMatch(/^no apply recorded for project big/);
  });
});
