import type { ObjectKey } from '../../specs/model.js';
import type { Engine } from '../engine/engine.js';
import { ranToCompletion } from '../lifecycle/container-decision.js';
import type { Plan } from '../plan/plan-types.js';
import { containerReadiness } from '../status/readiness.js';
import type { ObjectOutcome } from './execute.js';

/**
 * How long a container must stay ready, without a restart, before `apply --wait` believes it:
 * a process that dies after a second is `running` when first looked at (a crash loop).
 */
export const READY_STABLE_MS = 2_000;
const POLL_MS = 250;

/**
 * `apply --wait` (DESIGN.md, second wave): after the plan ran, waits until every container
 * declared `running` that converged is ready — running, healthy where it has a healthcheck,
 * and steady for READY_STABLE_MS — or completed (exit code 0 under restartPolicy OnFailure or
 * Never). Fails a container at once when it turns unhealthy, exits, or
 * is restarted by the engine (a crash loop), and at `deadline` otherwise. Returns the outcomes
 * with failures written over the containers concerned.
 */
export async function waitForReadiness(
  engine: Engine,
  plan: Plan,
  outcomes: ObjectOutcome[],
  deadline: number,
  now: () => number = Date.now,
): Promise<ObjectOutcome[]> {
  const running = new Map(
    plan.objects
      .filter((p) => p.kind === 'Container' && p.desired === 'running' && p.engineName)
      .map((p) => [p.key, p] as const),
  );
  const waited = await Promise.all(
    outcomes.map(async (o) => {
      const p = running.get(o.key);
      if (!p?.engineName || o.outcome !== 'converged') return o;
      const policy = p.container?.situation.restartPolicy ?? 'Always';
      const completed = (exitCode: number) => ranToCompletion(policy, exitCode);
      const failure = await readyOrWhy(engine, o.key, p.engineName, completed, deadline, now);
      return failure
        ? { ...o, outcome: 'failed' as const, message: failure, code: 'E_CONVERGE' }
        : o;
    }),
  );
  return waited;
}

async function readyOrWhy(
  engine: Engine,
  key: ObjectKey,
  engineName: string,
  completed: (exitCode: number) => boolean,
  deadline: number,
  now: () => number,
): Promise<string | undefined> {
  let readySince: number | undefined;
  let firstRestarts: number | undefined;
  for (;;) {
    const details = await engine.inspectContainer(engineName);
    if (!details) return `${key} is gone`;
    firstRestarts ??= details.restartCount;
    const r = containerReadiness({ container: details, details, now: now() });
    if (details.restartCount > firstRestarts || r.reason === 'CrashLoopBackOff')
      return `CrashLoopBackOff: ${r.message ?? `restarted (exit code ${details.exitCode})`}`;
    if (r.reason === 'Unhealthy') return `Unhealthy: ${r.message}`;
    if (details.state === 'exited' && completed(details.exitCode)) return undefined;
    if (details.state === 'exited' || details.state === 'dead')
      return `exited with code ${details.exitCode}`;
    if (r.ready) {
      readySince ??= now();
      if (now() - readySince >= READY_STABLE_MS) return undefined;
    } else readySince = undefined;
    if (now() >= deadline) return `timed out waiting for ${key} to be ready`;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
