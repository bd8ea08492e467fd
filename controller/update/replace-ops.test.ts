import { describe, expect, it } from 'vitest';
import type { ContainerCreateRequest } from '../engine/engine.js';
import { MemoryEngine } from '../engine/memory/memory-engine.js';
import { createRequest } from '../engine/testing/create-request.js';
import { ownershipLabels } from '../labels.js';
import { replaceContainer } from './replace.js';
import { updateOps, type UpdatePolicy } from './update-policy.js';

const IMAGE = 'localhost/berth-busybox:1';

function request(name: string): ContainerCreateRequest {
  return createRequest({
    name,
    image: IMAGE,
    labels: ownershipLabels('p', 'Container', 'web', 'h'),
    stopTimeoutSec: 1,
  });
}

/**
 * The plan is what runs: `plan` lists an update's steps from updateOps, and the update path
 * runs its own calls; the two must name the same steps in the same order (a gate that ran
 * but was never planned was found by a new-user trial, session 4).
 */
describe('an update runs exactly the steps plan lists', () => {
  for (const order of ['start-first', 'stop-first'] as const) {
    it(order, async () => {
      const engine = new MemoryEngine();
      engine.addImage(IMAGE, 'abc123');
      const old = await engine.createContainer(request('p-web'));
      await engine.startContainer(old.id);
      const ops: string[] = [];
      const policy: UpdatePolicy = {
        order,
        reason: 'test',
        gate: { kind: 'minReady', ms: 0 },
        onFailure: 'rollback',
      };
      const result = await replaceContainer({
        engine,
        project: 'p',
        oldId: old.id,
        request: { ...request('p-web'), env: { V: '2' } },
        policy,
        onOp: (op) => ops.push(op),
      });
      expect(result.outcome).toBe('replaced');
      expect(ops).toEqual(updateOps(order));
    });
  }
});

const stopFirstPolicy: UpdatePolicy = {
  order: 'stop-first',
  reason: 'test',
  gate: { kind: 'minReady', ms: 0 },
  onFailure: 'rollback',
};

async function runningOld(): Promise<{ engine: MemoryEngine; oldId: string }> {
  const engine = new MemoryEngine();
  engine.addImage(IMAGE, 'abc123');
  const old = await engine.createContainer(request('p-web'));
  await engine.startContainer(old.id);
  return { engine, oldId: old.id };
}

/** F127: a stop-first update never leaves the serving container stopped after a failed step. */
describe('stop-first: a step that fails leaves the old container serving', () => {
  it('-prev held by a container berth does not own: fails before anything stops, the other untouched', async () => {
    const { engine, oldId } = await runningOld();
    const foreign = await engine.createContainer({ ...request('p-web-prev'), labels: {} });
    await engine.startContainer(foreign.id);
    const update = replaceContainer({
      engine,
      project: 'p',
      oldId,
      request: { ...request('p-web'), env: { V: '2' } },
      policy: stopFirstPolicy,
    });
    await expect(update).rejects.toMatchObject({
      code: 'E_CONFLICT',
      message: expect.stringContaining('p-web-prev') as string,
    });
    // The plan's words for it (F168: plan/update-names-taken.ts), for a name taken since.
    await expect(update).rejects.toThrow(
      'the engine name p-web-prev, which a stop-first update gives the old container, is taken by another container; nothing is stopped',
    );
    expect(engine.calls.stopContainer ?? 0).toBe(0);
    const old = await engine.inspectContainer(oldId);
    expect([old?.name, old?.state]).toEqual(['p-web', 'running']);
    const other = await engine.inspectContainer(foreign.id);
    expect([other?.name, other?.state]).toEqual(['p-web-prev', 'running']);
  });

  it('start-first, -next held by a container berth does not own: the same words, the old one untouched', async () => {
    const { engine, oldId } = await runningOld();
    const foreign = await engine.createContainer({ ...request('p-web-next'), labels: {} });
    const update = replaceContainer({
      engine,
      project: 'p',
      oldId,
      request: { ...request('p-web'), env: { V: '2' } },
      policy: { ...stopFirstPolicy, order: 'start-first' },
    });
    await expect(update).rejects.toThrow(
      'the engine name p-web-next, which a start-first update gives the new container, is taken by another container; nothing is stopped',
    );
    const old = await engine.inspectContainer(oldId);
    expect([old?.name, old?.state]).toEqual(['p-web', 'running']);
    expect((await engine.inspectContainer(foreign.id))?.name).toBe('p-web-next');
  });

  it('a create the engine refuses after the stop: the old one takes its name back and runs', async () => {
    const { engine, oldId } = await runningOld();
    engine.failNext('createContainer', 'E_CONFLICT');
    const update = replaceContainer({
      engine,
      project: 'p',
      oldId,
      request: { ...request('p-web'), env: { V: '2' } },
      policy: stopFirstPolicy,
    });
    await expect(update).rejects.toMatchObject({ code: 'E_CONFLICT' });
    const old = await engine.inspectContainer(oldId);
    expect([old?.name, old?.state]).toEqual(['p-web', 'running']);
    expect((await engine.observe({ project: 'p' })).containers.map((c) => c.name)).toEqual([
      'p-web',
    ]);
  });
});

/** F343: a start the engine refuses is named as the start, and no gate is reported as run. */
describe('a new container that does not start', () => {
  for (const order of ['start-first', 'stop-first'] as const) {
    it(`${order}: fails at start, without a gate step`, async () => {
      const { engine, oldId } = await runningOld();
      engine.failNext('startContainer', 'E_CONFLICT');
      const ops: string[] = [];
      const result = await replaceContainer({
        engine,
        project: 'p',
        oldId,
        request: { ...request('p-web'), env: { V: '2' } },
        policy: { ...stopFirstPolicy, order },
        onOp: (op) => ops.push(op),
      });
      expect(result).toMatchObject({ outcome: 'rolled-back', failedAt: 'start' });
      expect(ops).not.toContain('gate');
      expect((await engine.inspectContainer(oldId))?.state).toBe('running');
    });
  }
});
