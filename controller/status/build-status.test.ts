import { describe, expect, it } from 'vitest';
import { buildProjectStatus } from './build-status.js';
import {
  NOW,
  containerObject,
  emptyObserved,
  objectPlan,
  observedContainer,
} from './testing/fixtures.js';
import { PROJECT, sampleInput, sampleStatus } from './testing/sample-status.js';

describe('buildProjectStatus', () => {
  it('summarises the project from the plan', () => {
    const status = sampleStatus();
    expect(status.inSync).toBe(false);
    expect(status.outOfSync).toBe(3);
    expect(status.missing).toEqual(['Container/db']);
    expect(status.undeclared).toEqual(['Container/old']);
    expect(status.conflicts.map((c) => c.key)).toEqual(['Container/db']);
    expect(status.counts).toEqual({
      present: 1,
      running: 1,
      paused: 1,
      absent: 1,
      restarting: 1,
      exited: 1,
    });
    expect(status.lastApply).toMatchObject({
      time: '2024-05-01T10:00:00Z',
      outcome: 'converged',
      commit: expect.stringMatching(/^0123/),
    });
    // A re-run with nothing to do is counted on its entry (F275): the last apply is its time.
    const repeated = { ...sampleInput().lastApply!, repeats: { count: 2, lastTime: NOW } };
    const again = buildProjectStatus({ ...sampleInput(), lastApply: repeated });
    expect(again.lastApply?.time).toBe('2024-05-01T12:00:00Z');
    expect(status.objects.map((o) => o.key)).toEqual([
      'Network/backend',
      'Container/api',
      'Container/db',
      'Container/old',
      'Container/web',
      'Container/worker',
    ]);
  });

  it('takes reason and sync from the plan, and conditions from the engine', () => {
    const api = sampleStatus().objects.find((o) => o.name === 'api')!;
    expect(api).toMatchObject({
      inSync: false,
      reason: 'paused outside berth',
      observed: 'paused',
      desired: 'running',
    });
    expect(api.pendingSteps).toEqual([{ action: 'unpause', cause: 'paused outside berth' }]);
    expect(api.conditions.map((c) => [c.type, c.status, c.reason])).toEqual([
      ['Ready', 'False', 'Paused'],
      ['Progressing', 'True', 'PendingSteps'],
      ['Degraded', 'False', 'AsExpected'],
    ]);
    expect(api.conditions[0]?.lastTransitionTime).toBe('2024-05-01T11:58:30Z');
  });

  it("names the last apply's failure for an object still out of step (F93)", () => {
    const input = sampleInput();
    const network = input.plan.objects.find((p) => p.key === 'Network/backend')!;
    Object.assign(network, {
      observed: 'absent',
      inSync: false,
      reason: undefined,
      steps: [{ key: 'Network/backend', action: 'create', symbol: '+', cause: 'not created yet' }],
    });
    input.lastApply = {
      ...input.lastApply!,
      outcome: 'failed',
      steps: [
        {
          key: 'Network/backend',
          action: 'create',
          cause: 'create network shop-backend: Pool overlaps with other one on this address space',
          failed: true,
          code: 'E_ENGINE',
        },
        { key: 'Container/web', action: 'start', cause: 'port in use', failed: true },
      ],
    };
    const backend = buildProjectStatus(input).objects.find((o) => o.key === 'Network/backend')!;
    expect(backend.reason).toBe(
      'last apply: create failed: create network shop-backend: Pool overlaps with other one on this address space',
    );
    expect(backend.conditions.find((c) => c.type === 'Degraded')).toMatchObject({
      status: 'True',
      reason: 'ApplyFailed',
    });
    // Once in step again (web was started by hand since), the old failure is not shown.
    const web = buildProjectStatus(input).objects.find((o) => o.key === 'Container/web')!;
    expect(web.inSync).toBe(true);
    expect(web.reason).toBeNull();
  });

  it('reads restarts and exit codes from details, times from the engine', () => {
    const worker = sampleStatus().objects.find((o) => o.name === 'worker')!;
    expect(worker).toMatchObject({ restartCount: 5, exitCode: 137, ageSeconds: 3 * 86_400 });
    const degraded = worker.conditions.find((c) => c.type === 'Degraded');
    expect(degraded).toMatchObject({
      status: 'True',
      reason: 'CrashLoopBackOff',
      message: 'crash loop: 5 restarts, last exit code 137',
    });
    // A restarting container has no finish time to use; its last start is the transition.
    expect(degraded?.lastTransitionTime).toBe('2024-05-01T11:59:40Z');
  });

  it('reports ports, networks, image and digest of a running container', () => {
    const web = sampleStatus().objects.find((o) => o.name === 'web')!;
    expect(web).toMatchObject({
      inSync: true,
      reason: null,
      ports: ['127.0.0.1:8080->80/tcp'],
      networks: ['shop-backend'],
      image: 'localhost/berth-busybox:1',
      imageDigest: expect.stringMatching(/^localhost\/berth-busybox@sha256:d+$/),
      restartCount: 0,
      restarts: 0,
      ready: true,
      lastExitCode: null,
    });
    expect(web.conditions.find((c) => c.type === 'Ready')).toMatchObject({
      status: 'True',
      reason: 'Running',
    });
  });

  it('marks conflicts not ready and degraded', () => {
    const db = sampleStatus().objects.find((o) => o.name === 'db')!;
    expect(db.conflict).toMatch(/not own/);
    expect(db.conditions.map((c) => c.status)).toEqual(['False', 'False', 'True']);
  });

  it('is in sync when every declared object is, leftovers aside', () => {
    const web = observedContainer(PROJECT, 'web');
    const old = observedContainer(PROJECT, 'old');
    const status = buildProjectStatus({
      project: PROJECT,
      desired: [containerObject('web')],
      observed: { ...emptyObserved(), containers: [web, old] },
      plan: {
        project: PROJECT,
        conflicts: [],
        objects: [
          objectPlan('Container', 'web', { engineId: web.id }),
          objectPlan('Container', 'old', { engineId: old.id, desired: 'absent', inSync: false }),
        ],
      },
      now: NOW,
    });
    expect(status.inSync).toBe(true);
    expect(status.undeclared).toEqual(['Container/old']);
  });

  it('is never in sync with nothing to compare against', () => {
    const status = buildProjectStatus({
      project: PROJECT,
      desired: [],
      observed: emptyObserved(),
      plan: { project: PROJECT, conflicts: [], objects: [] },
      desiredSource: 'none',
      notice: 'no apply recorded',
      now: NOW,
    });
    expect(status).toMatchObject({ inSync: false, notice: 'no apply recorded', objects: [] });
  });

  it('is pure: the same input gives the same output', () => {
    expect(buildProjectStatus(sampleInput())).toEqual(buildProjectStatus(sampleInput()));
  });
});
