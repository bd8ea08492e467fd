import type { ContainerObject, ObjectKey } from '../../../specs/model.js';
import type { ObservedContainer } from '../../engine/engine.js';
import { owningController } from '../../api/control-client.js';
import { BerthError } from '../../errors.js';
import { readLastApplied, recordApply } from '../../records/index.js';
import type { AppliedStep } from '../../records/index.js';
import type { CliContext } from '../context.js';
import { recordRestarts } from '../../records/restarts.js';
import { StartLog } from '../../records/starts.js';
import { answeringNames, listByName, namesFor } from '../project-containers.js';
import { didYouMeanName } from '../name-spelling.js';
import { resolveProjectName } from '../project-name.js';
import { visibleText } from '../../../specs/visible-text.js';

/** Seconds a container gets to stop before it is killed, when its spec is not on record. */
const STOP_GRACE_SEC = 10;
/** Beyond the grace period, how long a running watch may take to answer a restart. */
const CONTROL_MARGIN_SEC = 30;

interface RestartOptions {
  project?: string;
}

/**
 * `berth restart NAME…`: stops (within each container's `stopGracePeriod`) and starts declared
 * containers of the project, without a spec change, and leaves one declared `paused` paused
 * again; the name of a container declared with `replicas` restarts every replica, one at a
 * time. Each restart is counted in the output and the project's history. Unknown names, and
 * containers declared `exited` or `created` (restarting would leave them running, out of
 * sync), fail before anything restarts (exit 1); a restart that fails gives exit 2. While a
 * `berth watch` owns the project, it performs each restart (F154: so it never takes the
 * restart's exit for a crash).
 */
export async function run(
  ctx: CliContext,
  asked: string[],
  options: RestartOptions,
): Promise<number> {
  const project = resolveProjectName(options.project, [], ctx.cwd, ctx.env);
  const starts = new StartLog({ stateDir: ctx.stateDir, project }, ctx.now, ctx.logger);
  const engine = starts.noting(await ctx.engine());
  const byName = await listByName(engine, project);
  // A replicated container's declared name stands for all its replicas, as in
  // `docker compose restart NAME` (and as logs, exec and cp already take it: F81).
  const missing = asked.filter((n) => namesFor(byName, n).length === 0);
  if (missing.length)
    throw new BerthError(
      'E_UNKNOWN_OBJECT',
      `no container ${missing.join(', ')} in project ${project}${didYouMeanName(missing[0]!, answeringNames(byName))}`,
    );
  const names = [...new Set(asked.flatMap((n) => namesFor(byName, n)))];
  const declared = await declaredContainers(ctx, project);
  const stopped = names.filter((n) =>
    ['exited', 'created'].includes(declared.get(n)?.spec.state ?? ''),
  );
  if (stopped.length)
    throw new BerthError(
      'E_STATE',
      stopped.map((n) => `Container/${n} is declared ${declared.get(n)?.spec.state}`).join('; ') +
        ': restart restarts containers declared running or paused',
      { hint: 'berth run NAME starts a one-off container from its spec' },
    );
  const started = ctx.now();
  const steps: AppliedStep[] = [];
  const restarted: { key: ObjectKey; containerIds: string[] }[] = [];
  // A running watch restarts them itself, so it does not take their exits for crashes (F154).
  const watch = await owningController(ctx.stateDir, project);
  if (watch) ctx.stderr.write(`restarting through berth watch pid ${watch.pid}\n`);
  for (const name of names) {
    const container = byName.get(name) as ObservedContainer;
    const key = `Container/${name}` as ObjectKey;
    const spec = declared.get(name)?.spec;
    try {
      const graceSec = spec ? Math.ceil(spec.stopGracePeriodMs / 1000) : STOP_GRACE_SEC;
      if (watch) await watch.ask('restart', key, (graceSec + CONTROL_MARGIN_SEC) * 1000);
      else {
        await engine.stopContainer(container.id, graceSec);
        await engine.startContainer(container.id);
        if (spec?.state === 'paused') await engine.pauseContainer(container.id);
      }
      steps.push({ key, action: 'restart', cause: 'restarted on request', time: ctx.now() });
      restarted.push({ key, containerIds: [container.id] });
      ctx.stdout.write(`${key}: restarted\n`);
    } catch (e) {
      steps.push({
        key,
        action: 'restart',
        cause: (e as Error).message,
        time: ctx.now(),
        failed: true,
      });
      ctx.stdout.write(`${key}: restart failed: ${visibleText((e as Error).message)}\n`);
    }
  }
  const failed = steps.filter((s) => s.failed).length;
  await starts.settled();
  // Counted in `restarts` (get, status, describe); a watch counts the ones it made itself.
  if (!watch)
    await recordRestarts(ctx.stateDir, project, restarted, ctx.now()).catch((e: Error) =>
      ctx.logger.warn({ err: e.message }, 'could not record restart counts'),
    );
  await recordApply(ctx.stateDir, project, {
    time: started,
    sources: [],
    commit: null,
    outcome: failed ? 'failed' : 'converged',
    counts: { created: 0, changed: steps.length - failed, deleted: 0, unchanged: 0, failed },
    durationMs: ctx.now() - started,
    message: `restart ${asked.join(' ')}`,
    steps,
  });
  ctx.stdout.write(
    `Project ${project}: ${steps.length - failed} restarted${failed ? `, ${failed} failed` : ''}\n`,
  );
  return failed ? 2 : 0;
}

/** The project's containers in its last applied set, by name (empty when none is recorded). */
async function declaredContainers(
  ctx: CliContext,
  project: string,
): Promise<Map<string, ContainerObject>> {
  const last = await readLastApplied(ctx.stateDir, project);
  const byName = new Map<string, ContainerObject>();
  if (!last.ok) return byName;
  for (const o of last.value.objects) if (o.kind === 'Container') byName.set(o.name, o);
  return byName;
}
