import type { DesiredObject, ObjectKey } from '../../specs/model.js';
import type { Engine } from '../engine/engine.js';
import { toBerthError } from '../errors.js';
import type { Plan } from '../plan/plan-types.js';
import type { ObjectOutcome } from './execute.js';
import { pollCondition } from './wait-condition.js';

/**
 * The jobs other declared containers wait for with `condition: completed`, each with the keys
 * of those that wait for it (sorted). Only containers the plan keeps count as waiting. Pure.
 */
export function awaitedJobs(
  plan: Plan,
  desired: readonly DesiredObject[],
): Map<ObjectKey, ObjectKey[]> {
  const kept = new Set(
    plan.objects.filter((p) => p.kind === 'Container' && p.desired !== 'absent').map((p) => p.key),
  );
  const awaited = new Map<ObjectKey, ObjectKey[]>();
  for (const o of desired) {
    const key = `Container/${o.name}` as ObjectKey;
    if (o.kind !== 'Container' || !kept.has(key)) continue;
    for (const dep of o.spec.dependsOn) {
      if (dep.condition !== 'completed') continue;
      const job = `Container/${dep.container}` as ObjectKey;
      awaited.set(job, [...(awaited.get(job) ?? []), key].sort());
    }
  }
  return awaited;
}

/**
 * After the plan ran (F163): a job that this run created or started, and that some declared
 * container waits for with `completed`, is waited for until it exits; a non-zero exit fails
 * it (E_CONVERGE) even when nothing that waits for it was run again (a running dependant is
 * kept), as `docker compose up` fails on a `service_completed_successfully` dependency, as
 * `apply --wait` and the next apply already judge it. Returns the outcomes, failures written
 * over the jobs concerned; resolves by `deadline` (a job still running then is failed). Never
 * rejects: an engine fault while waiting fails the job with it.
 *
 * A `restartPolicy: Never` job that exited non-zero is `held`, not `failed`: the same outcome
 * the executor gives when it sees the exit itself, so whether the job ended before or after
 * its start was checked does not change the summary's counts or hint (CI saw both).
 */
export async function waitForAwaitedJobs(
  engine: Engine,
  plan: Plan,
  desired: readonly DesiredObject[],
  outcomes: ObjectOutcome[],
  deadline: number,
  now: () => number = Date.now,
): Promise<ObjectOutcome[]> {
  const awaited = awaitedJobs(plan, desired);
  const planned = new Map(plan.objects.map((p) => [p.key, p] as const));
  const neverRestarted = new Set(
    desired
      .filter((o) => o.kind === 'Container' && o.spec.restartPolicy === 'Never')
      .map((o) => `${o.kind}/${o.name}` as ObjectKey),
  );
  return Promise.all(
    outcomes.map(async (o) => {
      const waiting = awaited.get(o.key);
      const engineName = planned.get(o.key)?.engineName;
      if (!waiting || !engineName || o.outcome !== 'converged' || o.ops.length === 0) return o;
      let end;
      try {
        end = await pollCondition(engine, engineName, 'completed', deadline, now);
      } catch (e) {
        // The engine went away while berth waited: the job's end is not known.
        const error = toBerthError(e);
        return { ...o, outcome: 'failed' as const, message: error.message, code: error.code };
      }
      if ('met' in end) return o;
      const who = `${waiting.join(', ')} ${waiting.length > 1 ? 'wait' : 'waits'} for it to complete`;
      if ('never' in end && neverRestarted.has(o.key))
        return {
          ...o,
          outcome: 'held' as const,
          message: `${end.never}; restartPolicy Never keeps it exited${end.lastLog}; ${who}`,
        };
      const why = 'never' in end ? end.never + end.lastLog : 'timed out before it completed';
      return { ...o, outcome: 'failed' as const, message: `${why}; ${who}`, code: 'E_CONVERGE' };
    }),
  );
}
