import type { DesiredObject, ObjectKey } from '../../../specs/model.js';
import { parseDelay } from '../../../specs/validate/values.js';
import { execute, type ExecuteResult } from '../../executor/execute.js';
import { ranCounts, ranSteps } from '../../executor/ran-summary.js';
import { settledAsDeclared } from '../../executor/plan-work.js';
import type { ObservedState } from '../../engine/engine.js';
import { isBindVolume } from '../../../specs/volume-options.js';
import { BerthError } from '../../errors.js';
import { observeProject } from '../../observe.js';
import { indexOwned } from '../../plan/plan.js';
import { otherSourceDeletions } from '../../plan/plan-other-sources.js';
import { planPrune } from '../../plan/plan-prune.js';
import { step } from '../../plan/plan-resources.js';
import type { ObjectPlan, Plan } from '../../plan/plan-types.js';
import { forgetObjects, recordApply, type ApplyOutcome } from '../../records/index.js';
import { progressReporter } from '../apply-progress.js';
import type { CliContext } from '../context.js';
import { loadInput } from '../load-input.js';
import { isKeptInUse, keptInUseText } from '../kept-in-use.js';
import { keepSharedNetworks } from '../networks-in-use.js';
import { otherSourceError } from '../other-sources.js';
import { withProjectLock } from '../project-lock.js';
import { againCommand } from '../delete-interrupted.js';
import { installInterrupt, type Interrupt } from '../interrupt.js';
import { resolveProjectName } from '../project-name.js';
import { parseTarget } from '../views/target.js';
import { writeDeleteInterrupted, writeDeleteReport } from '../delete-report.js';

interface DeleteOptions {
  filename?: string[];
  timeout: string;
  parallel: string;
  project?: string;
  lockTimeout?: string;
  /** Also remove volumes that retain their data (the data goes with them). */
  purge?: boolean;
  output?: 'text' | 'json' | 'yaml';
}

/**
 * `berth delete -f PATH…` or `berth delete KIND/NAME`: removes owned objects, dependants
 * first. Volumes that retain their data, pulled images and host paths stay. Ctrl-C, SIGTERM
 * or SIGHUP: no object starts after it, the ones under way finish, and it exits 128 + the
 * signal saying what is left (F250).
 */
export async function run(
  ctx: CliContext,
  target: string | undefined,
  options: DeleteOptions,
): Promise<number> {
  const files = options.filename ?? [];
  if (!target && files.length === 0)
    throw new BerthError('E_USAGE', 'delete needs -f PATH or KIND/NAME');
  // The policy guards what apply creates; whatever any policy let apply create can be
  // deleted, so the files are read under the widest one.
  const declared = files.length
    ? (await loadInput(ctx, files, { policy: 'privileged' })).set.objects
    : [];
  const project = resolveProjectName(options.project, files, ctx.cwd, ctx.env);
  const keys = target
    ? [targetKey(target)]
    : declared.map((o) => `${o.kind}/${o.name}` as ObjectKey);
  const again = againCommand(ctx.argv, 'delete');
  return withProjectLock(ctx, project, 'delete', options.lockTimeout, () =>
    whileInterruptible((interrupt) =>
      deleteObjects(ctx, { project, keys, declared, target, options, interrupt, again }),
    ),
  );
}

/**
 * Runs `work` with Ctrl-C, SIGTERM and SIGHUP caught (interrupt.ts): a first signal is the
 * work's to end cleanly; a second exits at once. Signals are let go afterwards.
 */
export async function whileInterruptible<T>(
  work: (interrupt: Interrupt) => Promise<T>,
): Promise<T> {
  const interrupt = installInterrupt((code) => process.exit(code));
  try {
    return await work(interrupt);
  } finally {
    interrupt.dispose();
  }
}

/** What one delete removes, checked: the keys asked for and the declared set they come from. */
export interface DeleteJob {
  project: string;
  keys: ObjectKey[];
  declared: DesiredObject[];
  target: string | undefined;
  options: DeleteOptions;
  /**
   * Folders this delete speaks for (`berth down` in a folder): objects another folder
   * applied are refused (E_OTHER_SOURCE) unless `force`. Unset: no such check.
   */
  sourceFolders?: string[];
  force?: boolean;
  /** The project's observation the caller already made (`down`); unset: observed here. */
  observed?: ObservedState;
  /** Its first signal keeps every object not started yet from starting (F250). */
  interrupt?: Interrupt;
  /** The command that finishes the job after a signal (`berth down -p web`). */
  again?: string;
  /**
   * Recorded in the project's history under this message (`down`, `down --volumes`), as
   * `restart` is: `berth history` shows it and `rollback` after it brings back the set it
   * removed (F465). Unset (`delete`): not recorded.
   */
  history?: string;
  /** `down`: the one-offs it removed before (said as they went; in the -o json document). */
  oneOffs?: { name: string; stopped: boolean }[];
}

/** Removes the job's owned objects, dependants first (also `berth down`'s work); exit 0 / 2. */
export async function deleteObjects(ctx: CliContext, job: DeleteJob): Promise<number> {
  const { project, keys, declared, target, options } = job;
  const started = ctx.now();
  const engine = await ctx.engine();
  // An update an earlier berth left half-done (`-next`/`-prev` containers) is undone first, so
  // its leftover is not what keeps a network "in use" (new-user trial F3).
  const { observed, hostPaths } = await observeProject(engine, project, [], job.observed, {
    recoverUpdates: true,
  });
  const owned = indexOwned(observed, project);
  const all = planPrune({ project, desired: [], observed, hostPaths, prune: true }, owned);
  const wanted = new Set(keys);
  const chosen = all.filter((p) => wanted.has(p.key));
  const retained = chosen.filter((p) => p.desired === 'retained');
  const ordered = withDependantsFirst(
    [
      ...chosen.filter((p) => p.desired !== 'retained'),
      ...(options.purge ? retained.map((p) => purged(p, containersOf(chosen))) : []),
    ],
    declared,
  ).map((p) => ({
    ...p,
    steps: p.steps.map((s) =>
      s.cause.includes('--purge') ? s : { ...s, cause: 'deleted on request' },
    ),
  }));
  // A whole set's delete leaves a network another container of the project still uses.
  const { objects, kept: shared } = target
    ? { objects: ordered, kept: [] }
    : keepSharedNetworks(ordered, observed, project);
  if (target && chosen.length === 0 && !owned.has(keys[0] as ObjectKey)) {
    throw new BerthError(
      'E_UNKNOWN_OBJECT',
      `${target} is not an object of project ${project} on the engine`,
    );
  }
  const plan: Plan = { project, objects, conflicts: [] };
  if (job.sourceFolders && !job.force) {
    const others = otherSourceDeletions(plan, observed, job.sourceFolders);
    if (others.length > 0) throw otherSourceError(project, others);
  }
  const deadline = ctx.now() + (parseDelay(options.timeout) ?? 300_000);
  const width = Math.max(0, ...objects.map((o) => o.key.length));
  const result = await execute({
    engine,
    plan,
    desired: declared,
    observed,
    parallel: Number(options.parallel) || 8,
    deadline,
    onProgress: progressReporter(ctx, width, { keepInUse: true }),
    // A removed container's Secret and Config files go with it (F123).
    filesDir: ctx.stateDir,
    ...(job.interrupt ? { stopStarting: job.interrupt.signal } : {}),
  });
  // What failed to go or was left in use stays in the last applied set, so the next `down`
  // still finds it.
  const failed = new Set([
    ...result.outcomes.filter((o) => o.outcome !== 'converged').map((o) => o.key),
    ...shared.map((n) => n.key),
  ]);
  await forgetObjects(
    ctx.stateDir,
    project,
    keys.filter((k) => !failed.has(k)),
  ).catch(() => 0);
  const ended = { plan, result, started };
  if (job.interrupt?.interrupted) {
    await recordDown(ctx, job, ended, 'interrupted');
    const seconds = ((ctx.now() - started) / 1000).toFixed(1);
    const planned = objects.map((o) => o.key);
    const again = job.again ?? 'berth delete';
    const signal = job.interrupt.signalledBy;
    const text = { project, outcomes: result.outcomes, planned, seconds, signal, again };
    await writeDeleteInterrupted(ctx, options.output, text, job.oneOffs ?? []);
    return job.interrupt.exitCode;
  }
  // An image or network a container still uses (one berth does not own or of another project,
  // most often: F264, F346, F462) is left in place and named, as a network the project's own
  // containers use is; it stays in the last applied set.
  const inUse = result.outcomes.filter(isKeptInUse);
  const failures = result.outcomes.filter((o) => o.outcome !== 'converged' && !isKeptInUse(o));
  const removed = (k: string) =>
    result.outcomes.some((o) => o.key === k && o.outcome === 'converged');
  const kept = options.purge ? [] : retained;
  const ok = failures.every(settledAsDeclared);
  await recordDown(ctx, job, ended, ok ? 'converged' : 'failed');
  await writeDeleteReport(ctx, options.output, {
    project,
    ok,
    durationMs: ctx.now() - started,
    oneOffs: job.oneOffs ?? [],
    deleted: result.outcomes.filter((o) => o.outcome === 'converged').map((o) => o.key),
    purged: options.purge
      ? retained
          .filter((p) => removed(p.key))
          .map((p) => ({
            object: p.key,
            note: removedText(declared.find((d) => key(d) === p.key)),
          }))
      : [],
    kept: [
      ...shared.map((n) => ({
        object: n.key,
        reason: `kept, still used by ${n.users.join(', ')} (not deleted here)`,
        usedBy: n.users,
      })),
      ...inUse.map((o) => ({
        object: o.key,
        reason: keptInUseText(o.inUseBy ?? []),
        usedBy: o.inUseBy ?? [],
      })),
      ...kept.map((p) => ({
        object: p.key,
        // With -p: the hint must work pasted anywhere, not only where the project came from (F806).
        reason: `kept with its data (retain: true); berth delete ${p.kind.toLowerCase()}/${p.name} -p ${project} --purge removes it`,
      })),
    ],
    failed: failures.map((o) => ({
      object: o.key,
      outcome: o.outcome,
      ...(o.message ? { message: o.message } : {}),
      ...(o.code ? { code: o.code } : {}),
    })),
    outcomes: result.outcomes,
  });
  return ok ? 0 : 2;
}

/**
 * Writes a `down` to the project's history (no desired set: its last applied set is what
 * `forgetObjects` left). A record that cannot be written is said on stderr; the engine's
 * work is done either way.
 */
async function recordDown(
  ctx: CliContext,
  job: DeleteJob,
  ended: { plan: Plan; result: ExecuteResult; started: number },
  outcome: ApplyOutcome,
): Promise<void> {
  if (job.history === undefined) return;
  const { plan, result, started } = ended;
  const durationMs = ctx.now() - started;
  await recordApply(ctx.stateDir, job.project, {
    time: started,
    sources: [],
    commit: null,
    outcome,
    counts: ranCounts(plan, result.outcomes),
    durationMs,
    message: job.history,
    down: true,
    steps: ranSteps(plan, result.outcomes, started + durationMs),
  }).catch((e: unknown) => {
    ctx.stderr.write(`warning: ${(e as Error).message}\n`);
  });
}

/**
 * A retained volume removed on purpose (`--purge`): its data goes with it, after the
 * containers going in the same delete (one of them may still hold it: "volume is in use").
 */
function purged(p: ObjectPlan, containers: ObjectKey[]): ObjectPlan {
  const cause = 'deleted on request with --purge (its data goes too)';
  return {
    ...p,
    desired: 'absent',
    inSync: false,
    after: [...p.after, ...containers],
    steps: [step(p.key, 'remove', '-', cause)],
  };
}

const containersOf = (plans: ObjectPlan[]): ObjectKey[] =>
  plans.filter((p) => p.kind === 'Container').map((p) => p.key);

function targetKey(target: string): ObjectKey {
  const parsed = parseTarget(target);
  if (!parsed.kind || !parsed.name)
    throw new BerthError('E_USAGE', `expected KIND/NAME, got ${target}`);
  return `${parsed.kind}/${parsed.name}` as ObjectKey;
}

/** A container is removed before the containers it dependsOn (deletion runs in reverse order). */
function withDependantsFirst(plans: ObjectPlan[], declared: DesiredObject[]): ObjectPlan[] {
  const present = new Set(plans.map((p) => p.key));
  return plans.map((p) => {
    if (p.kind !== 'Container') return p;
    const dependants = declared
      .filter((o) => o.kind === 'Container' && o.spec.dependsOn.some((d) => d.container === p.name))
      .map((o) => `Container/${o.name}` as ObjectKey)
      .filter((k) => present.has(k));
    return { ...p, after: [...p.after, ...dependants] };
  });
}

const key = (o: DesiredObject) => `${o.kind}/${o.name}`;

/**
 * What removing a retained volume did to its data: a bind volume only named a host folder,
 * which stays with its files (F91: "removed with its data" was said of /etc).
 */
function removedText(declared: DesiredObject | undefined): string {
  if (declared?.kind === 'Volume' && isBindVolume(declared.spec.options))
    return `removed; its host folder ${declared.spec.options.device ?? ''} is kept with its files`;
  return 'removed with its data';
}
