import { parseDelay } from '../../../specs/validate/values.js';
import { owningController } from '../../api/control-client.js';
import { BerthError } from '../../errors.js';
import { readHistory, type HistoryEntry } from '../../records/index.js';
import { rollbackTarget } from '../../records/rollback-target.js';
import type { CliContext, CommonOptions } from '../context.js';
import { resolveProjectName } from '../project-name.js';
import { writeOutput } from '../views/stable-output.js';
import { pinnedImages } from '../../records/image-history.js';
import { applyJob } from './apply.js';
import { recoverFileValues } from '../../executor/file-value-recovery.js';
import { holdProject } from '../../records/hold.js';

interface RollbackOptions extends CommonOptions {
  output?: 'text' | 'json' | 'yaml';
  timeout: string;
  parallel: string;
  lockTimeout?: string;
  force?: boolean;
}

/**
 * `berth rollback [APPLY]` (DESIGN.md "Updates and rollback"): re-applies the desired set an
 * earlier apply of the project converged to — by default the one before the last — through
 * the same path as apply (so running containers are replaced start-first or stop-first behind
 * their health gate), with pruning, and records it in history. APPLY is an id from
 * `berth history` or a commit's short sha. Exit as apply; 1 when there is nothing to go back to.
 * While a `berth watch` owns the project, that controller does it (and holds the project until
 * release or a new source revision); exit 1 when it cannot be reached. Without one, a rollback
 * that ran holds the project ({@link holdAfterRollback}).
 */
export async function run(
  ctx: CliContext,
  target: string | undefined,
  options: RollbackOptions,
): Promise<number> {
  const timeoutMs = parseDelay(options.timeout);
  const parallel = Number(options.parallel);
  if (timeoutMs === undefined)
    throw new BerthError('E_USAGE', `--timeout ${options.timeout} is not a duration (e.g. 5m)`);
  if (!Number.isInteger(parallel) || parallel < 1)
    throw new BerthError('E_USAGE', '--parallel must be a whole number ≥ 1');
  const project = resolveProjectName(options.project, [], ctx.cwd, ctx.env);
  const controller = await owningController(ctx.stateDir, project);
  if (controller) {
    // The watch owns the project: it rolls back and holds (FINDINGS F2), as its web view would.
    ctx.stderr.write(`rolling back ${project} through berth watch pid ${controller.pid}\n`);
    const answer = await controller.ask('rollback', target && `Apply/${target}`, timeoutMs);
    // `-o json`: the controller's answer as one document (its apply's outcomes are its own).
    const document = { project, ok: true, controller: { pid: controller.pid }, answer };
    await writeOutput(ctx, options.output, document, () => `${answer}\n`);
    return 0;
  }
  const history = await readHistory(ctx.stateDir, project);
  if (!history.ok)
    throw new BerthError('E_UNKNOWN_OBJECT', `project ${project} has no history to roll back to`, {
      hint: 'berth history -p NAME lists the applies berth recorded',
    });
  const entry = rollbackTarget(history.value, target, project);
  ctx.stderr.write(`rolling back ${project} to ${describe(entry)}\n`);
  const desired = entry.objects ?? [];
  // Secret and Config values are never recorded: found again (or refused) before any change.
  await recoverFileValues(ctx.stateDir, project, desired, ctx.env);
  const code = await applyJob(ctx, {
    project,
    desired,
    options: {
      filename: [],
      prune: true,
      // Deletions are checked against the folders the restored apply read (its sources), as
      // an apply of those folders would be (F340: not against none, which refused them all).
      force: Boolean(options.force),
      timeout: options.timeout,
      parallel: options.parallel,
      ...(options.lockTimeout ? { lockTimeout: options.lockTimeout } : {}),
      // The summary is apply's, so is its `-o json|yaml` document (F632).
      ...(options.output ? { output: options.output } : {}),
    },
    started: ctx.now(),
    timeoutMs,
    parallel,
    sources: entry.sources,
    message: `rollback to ${entry.id}`,
    pinnedImages: pinnedImages(entry),
  });
  // Exit 1: refused before any change (a lock, a Secret it cannot find); nothing to keep.
  if (code !== 1) await holdAfterRollback(ctx, project, entry);
  return code;
}

/**
 * F665: a rollback with no `berth watch` running was undone without a word by the next watch
 * of the project, which applied the source's newest revision at start (a Flux user suspends
 * the Kustomization; Argo refuses a rollback while auto-sync is on). DESIGN.md: in watch, a
 * rollback holds the project. Here no controller is there to tie the hold to a source
 * revision, so it is `berth hold`'s hold, one only `berth release` ends: a watch started later
 * converges to the rolled-back set and says Held. stderr says so, naming both verbs.
 */
async function holdAfterRollback(
  ctx: CliContext,
  project: string,
  entry: HistoryEntry,
): Promise<void> {
  const hold = await holdProject(ctx.stateDir, project, `rollback to ${entry.id}`, ctx.now());
  const since = new Date(hold.since).toISOString();
  ctx.stderr.write(
    `project ${project} held since ${since} (${hold.by}): berth watch applies no new source ` +
      `revision to it until berth release (berth hold holds a project by hand)\n`,
  );
}

function describe(entry: HistoryEntry): string {
  const commit = entry.commit ? ` (commit ${entry.commit.slice(0, 7)})` : '';
  return `apply ${entry.id} of ${new Date(entry.time).toISOString()}${commit}`;
}
