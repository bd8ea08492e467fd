import { describe, expect, it } from 'vitest';
import { desiredFrom } from '../../test/support/manifests.js';
import { converge } from '../executor/converge.js';
import { execute } from '../executor/execute.js';
import type { ContainerCreateRequest } from '../engine/engine.js';
import { MemoryEngine } from '../engine/memory/memory-engine.js';
import { observeProject, planProject } from '../observe.js';
import { withSettings } from '../watch/settings-read.js';
import { formatPlan } from './plan-format.js';
import { settingsDrift } from './settings-drift.js';

const IMAGE = 'localhost/berth-busybox:1';
const MiB = 2 ** 20;
const request = (fields: Partial<ContainerCreateRequest>) =>
  ({ restartPolicy: 'unless-stopped', ...fields }) as ContainerCreateRequest;

describe('settingsDrift (F272)', () => {
  it('sets a declared limit and the restart policy back in place', () => {
    const drift = settingsDrift(request({ memoryBytes: 64 * MiB, pidsLimit: 100 }), {
      restartPolicy: 'no',
      memoryBytes: 32 * MiB,
      memorySwapBytes: 64 * MiB,
      pidsLimit: 100,
    });
    expect(drift).toEqual({
      set: { restartPolicy: 'unless-stopped', memoryBytes: 64 * MiB },
      cause:
        'restart policy no, declared unless-stopped; memory 32Mi, declared 64Mi (changed outside berth)',
      replace: false,
    });
  });

  it('takes a pids limit off in place, and replaces for another limit it cannot take off', () => {
    expect(settingsDrift(request({}), { restartPolicy: 'unless-stopped', pidsLimit: 50 })).toEqual({
      set: { pidsLimit: 0 },
      cause: 'pids 50, declared none (changed outside berth)',
      replace: false,
    });
    const memory = settingsDrift(request({}), {
      restartPolicy: 'no',
      memoryBytes: 32 * MiB,
      memorySwapBytes: 64 * MiB,
    });
    expect(memory?.replace).toBe(true);
    expect(memory?.cause).toBe(
      'restart policy no, declared unless-stopped; memory 32Mi, declared none (changed outside berth)',
    );
  });

  it('finds nothing where the settings match, or were not read', () => {
    const declared = request({ memoryBytes: 64 * MiB, nanoCpus: 5e8 });
    const same = { restartPolicy: 'unless-stopped' as const, memoryBytes: 64 * MiB, nanoCpus: 5e8 };
    // Swap not declared: the engine's own (twice the memory) is not drift.
    expect(settingsDrift(declared, { ...same, memorySwapBytes: 128 * MiB })).toBeUndefined();
    expect(settingsDrift(declared, undefined)).toBeUndefined();
  });
});

describe('a plan with settings read from the engine', () => {
  it('sets them back with one update step; without them read, the plan sees nothing', async () => {
    const engine = new MemoryEngine({ now: () => 1_700_000_000_000 });
    engine.addImage(IMAGE);
    const desired = await desiredFrom(`apiVersion: berth/v1
kind: Container
metadata: {name: web}
spec: {image: ${IMAGE}, resources: {memory: 64Mi}}
`);
    const options = { project: 'demo', desired, prune: false, parallel: 2 };
    expect((await converge(engine, { ...options, deadline: Date.now() + 10_000 })).result.ok).toBe(
      true,
    );
    const id = (await engine.observe({ project: 'demo' })).containers[0]!.id;
    await engine.updateContainer(id, { restartPolicy: 'no', memoryBytes: 32 * MiB });

    const observation = await observeProject(engine, 'demo', desired);
    const unread = await planProject(engine, { ...options, ...observation });
    expect(formatPlan(unread)).toContain('no changes');

    const observed = await withSettings(engine, observation.observed, [id]);
    const plan = await planProject(engine, { ...options, ...observation, observed });
    expect(formatPlan(plan)).toBe(
      [
        '~ Container/web  update        restart policy no, declared unless-stopped; memory 32Mi, declared 64Mi (changed outside berth)',
        'Project demo: 0 to create, 1 to change, 0 to delete.',
        '',
      ].join('\n'),
    );
    const result = await execute({
      engine,
      plan,
      desired,
      observed,
      parallel: 2,
      deadline: Date.now() + 10_000,
    });
    expect(result.outcomes.map((o) => o.ops)).toEqual([['update']]);
    const details = await engine.inspectContainer(id);
    expect(details?.settings).toEqual({
      restartPolicy: 'unless-stopped',
      memoryBytes: 64 * MiB,
      memorySwapBytes: 128 * MiB,
    });
  });
});
