import { describe, expect, it } from 'vitest';
import { desiredFrom } from '../../test/support/manifests.js';
import type { ContainerDetails, Engine } from '../engine/engine.js';
import { BerthError } from '../errors.js';
import type { ObjectPlan, Plan } from '../plan/plan-types.js';
import type { ObjectOutcome } from './execute.js';
import { awaitedJobs, waitForAwaitedJobs } from './wait-completed.js';

const set = desiredFrom(`apiVersion: berth/v1
kind: Container
metadata: {name: migrate}
spec: {image: local/app:1, restartPolicy: Never}
---
apiVersion: berth/v1
kind: Container
metadata: {name: web}
spec:
  image: local/app:1
  dependsOn: [{container: migrate, condition: completed}, {container: cache}]
---
apiVersion: berth/v1
kind: Container
metadata: {name: cache}
spec: {image: local/app:1}
`);

const entry = (name: string): ObjectPlan => ({
  key: `Container/${name}`,
  kind: 'Container',
  name,
  engineName: `p-${name}`,
  observed: 'running',
  desired: 'running',
  steps: [],
  inSync: true,
  after: [],
});
const plan: Plan = { project: 'p', objects: ['migrate', 'web', 'cache'].map(entry), conflicts: [] };
const ran = (name: string): ObjectOutcome => ({
  key: `Container/${name}`,
  outcome: 'converged',
  ops: ['create', 'start'],
});
const engineAnswering = (inspect: () => Promise<ContainerDetails | undefined>) =>
  // A job that wrote nothing: its reason quotes no log (F624).
  ({ inspectContainer: inspect, tailLogs: () => Promise.resolve('') }) as unknown as Engine;
const exited = (exitCode: number) => ({ state: 'exited', exitCode }) as ContainerDetails;

describe('jobs waited for with condition completed (F163)', () => {
  it('are the containers another kept one waits for to complete', async () => {
    expect(awaitedJobs(plan, await set)).toEqual(
      new Map([['Container/migrate', ['Container/web']]]),
    );
  });

  it('hold a restartPolicy Never job that exited non-zero, as the executor does; pass on 0; others are not waited for', async () => {
    const failing = engineAnswering(async () => exited(5));
    const outcomes = [ran('migrate'), ran('cache')];
    const [job, cache] = await waitForAwaitedJobs(
      failing,
      plan,
      await set,
      outcomes,
      Date.now() + 5_000,
    );
    expect(job).toMatchObject({
      outcome: 'held',
      message:
        'exited with code 5; restartPolicy Never keeps it exited; Container/web waits for it to complete',
    });
    expect(job?.retryAfterMs).toBeUndefined();
    expect(cache).toEqual(ran('cache'));
    const passing = engineAnswering(async () => exited(0));
    const [done] = await waitForAwaitedJobs(
      passing,
      plan,
      await set,
      [ran('migrate')],
      Date.now() + 5_000,
    );
    expect(done).toEqual(ran('migrate'));
  });

  it('fail a job any other policy would restart, naming who waits', async () => {
    const onFailure = (await set).map((o) =>
      o.kind === 'Container' && o.name === 'migrate'
        ? { ...o, spec: { ...o.spec, restartPolicy: 'OnFailure' as const } }
        : o,
    );
    const [job] = await waitForAwaitedJobs(
      engineAnswering(async () => exited(5)),
      plan,
      onFailure,
      [ran('migrate')],
      Date.now() + 5_000,
    );
    expect(job).toMatchObject({
      outcome: 'failed',
      code: 'E_CONVERGE',
      message: 'exited with code 5; Container/web waits for it to complete',
    });
  });

  it('never reject: an engine gone while waiting fails the job with its error', async () => {
    const gone = engineAnswering(() =>
      Promise.reject(new BerthError('E_ENGINE_UNREACHABLE', 'cannot reach the engine')),
    );
    const [job] = await waitForAwaitedJobs(
      gone,
      plan,
      await set,
      [ran('migrate')],
      Date.now() + 5_000,
    );
    expect(job).toMatchObject({ outcome: 'failed', code: 'E_ENGINE_UNREACHABLE' });
  });
});
