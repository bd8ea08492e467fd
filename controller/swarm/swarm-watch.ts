import { stat } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { referencedPaths } from '../../specs/index.js';
import type { DesiredObject } from '../../specs/model.js';
import { parseDelay } from '../../specs/validate/values.js';
import type { CliContext } from '../cli/context.js';
import { loadInput } from '../cli/load-input.js';
import type { PolicyFlags } from '../cli/policy-flags.js';
import { takeProjectLock } from '../cli/project-lock.js';
import { resolveProjectName } from '../cli/project-name.js';
import type { SwarmEngine } from '../engine/swarm/swarm-types.js';
import { BerthError, formatError, toBerthError } from '../errors.js';
import { folderSource } from '../watch/folder-source.js';
import { referencedSource } from '../watch/referenced-source.js';
import type { WorkSink } from '../watch/work-reason.js';
import { connectSwarm } from './swarm-apply.js';
import { convergeSwarm, recordSwarm } from './swarm-converge.js';
import { assertSwarmNames } from './swarm-names.js';

/** The flags of `watch` that `--backend swarm` reads. */
export interface SwarmWatchOptions extends PolicyFlags {
  project?: string;
  resync?: string;
  allowEmpty?: boolean;
  lockTimeout?: string;
  git?: string;
}

/** How long one reconcile waits for its services before it reports them not ready. */
const CONVERGE_PATIENCE_MS = 120_000;
/** How long a broken event stream waits before it is opened again. */
const RESUBSCRIBE_MS = 1_000;

/**
 * `berth watch DIR --backend swarm`: holds the project's lock and keeps the Swarm converged
 * to the folder until SIGINT/SIGTERM (then exits 0, leaving every service as it is). A
 * reconcile (observe, plan, execute, wait; the folder is the whole set, so what it no longer
 * declares is removed) runs at start, on every change to the folder or to a file the set
 * reads (a Secret's or Config's `file`, an env file: a new value rolls out), on every service event
 * of the project (a service scaled, updated or removed behind berth's back is put back), and
 * every `--resync`. Reconciles run one at a time; triggers during one make one more. Broken
 * manifests keep the last good set applied; an empty folder deletes nothing without
 * `--allow-empty`. Reconciles that change something are recorded in history. No status API
 * and no `--git` on this backend (E_UNSUPPORTED).
 */
export async function swarmWatchCommand(
  ctx: CliContext,
  dir: string | undefined,
  options: SwarmWatchOptions,
): Promise<number> {
  if (options.git)
    throw new BerthError(
      'E_UNSUPPORTED',
      'berth watch --backend swarm watches a folder; --git is not supported on this backend',
    );
  if (!dir) throw new BerthError('E_USAGE', 'berth watch --backend swarm needs a folder');
  const resyncMs = parseDelay(options.resync ?? '60s');
  if (resyncMs === undefined)
    throw new BerthError('E_USAGE', `--resync ${options.resync} is not a duration (e.g. 60s)`);
  const folder = resolve(ctx.cwd, dir);
  if (!(await stat(folder).catch(() => undefined))?.isDirectory())
    throw new BerthError('E_USAGE', `${dir}: no such folder`);
  const project = resolveProjectName(options.project, [folder], ctx.cwd, ctx.env);
  const engine = await connectSwarm(ctx);
  await engine.observe(project); // a manager that answers, before the lock is taken
  const lock = await takeProjectLock(ctx, project, 'watch', options.lockTimeout);
  // The folder watch sees only manifests; the files they read are followed after each read.
  const referenced = referencedSource();
  const loop = reconcileLoop(ctx, engine, project, folder, options, (objects) =>
    referenced.follow(referencedPaths(objects)),
  );
  const folderWatch = folderSource(folder);
  await folderWatch.start(triggerOn(loop.trigger, folder, 'folder changed'));
  await referenced.start(triggerOn(loop.trigger, folder, 'referenced file changed'));
  const stopEvents = followServiceEvents(engine, project, (why) => loop.trigger(why));
  const resync = setInterval(() => loop.trigger('resync'), resyncMs);
  ctx.stdout.write(`watching ${folder} → Swarm at ${engine.address} (project ${project})\n`);
  loop.trigger('start');
  await new Promise<void>((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  clearInterval(resync);
  stopEvents();
  await folderWatch.stop();
  await referenced.stop();
  await loop.stop();
  await lock.release();
  ctx.stdout.write('stopped; the services stay as they are\n');
  return 0;
}

/** A source's pushes as triggers: `WHAT: PATH, …` (relative to the folder). */
function triggerOn(trigger: (why: string) => void, folder: string, what: string): WorkSink {
  return {
    push: (item) => {
      const paths = 'paths' in item ? item.paths.map((p) => relative(folder, p)) : [];
      trigger(`${what}: ${paths.join(', ')}`);
      return Promise.resolve();
    },
  };
}

/** Service events of the project as triggers; the stream is opened again when it breaks. */
function followServiceEvents(
  engine: SwarmEngine,
  project: string,
  trigger: (why: string) => void,
): () => void {
  let stopped = false;
  let unsubscribe = () => {};
  let timer: NodeJS.Timeout | undefined;
  const open = () => {
    unsubscribe = engine.subscribeServiceEvents(
      (e) => {
        if (e.service.startsWith(`${project}-`)) trigger(`service ${e.service}: ${e.action}`);
      },
      () => {
        if (stopped) return;
        timer = setTimeout(() => {
          open();
          trigger('event stream reopened');
        }, RESUBSCRIBE_MS);
      },
    );
  };
  open();
  return () => {
    stopped = true;
    clearTimeout(timer);
    unsubscribe();
  };
}

/**
 * One reconcile at a time; a trigger during one queues exactly one more. `onRead` gets each
 * set read without problems, before it is applied.
 */
function reconcileLoop(
  ctx: CliContext,
  engine: SwarmEngine,
  project: string,
  folder: string,
  options: SwarmWatchOptions,
  onRead: (objects: readonly DesiredObject[]) => Promise<void>,
) {
  let running: Promise<void> | undefined;
  let pending: string[] = [];
  let stopped = false;
  const once = async (why: string[]) => {
    const started = ctx.now();
    let objects;
    try {
      objects = (await loadInput(ctx, [folder], options, true)).set.objects;
      assertSwarmNames(objects, project);
      await onRead(objects);
    } catch (e) {
      ctx.stderr.write(`${formatError(toBerthError(e))}\nthe last good set stays applied\n`);
      return;
    }
    if (objects.length === 0 && !options.allowEmpty) {
      ctx.stderr.write(`${folder} declares nothing: nothing is deleted without --allow-empty\n`);
      return;
    }
    ctx.stdout.write(`reconcile (${why.join('; ')})\n`);
    try {
      const run = await convergeSwarm(
        ctx,
        engine,
        project,
        objects,
        true,
        ctx.now() + CONVERGE_PATIENCE_MS,
      );
      const unrecorded =
        run.plan.steps.length > 0
          ? await recordSwarm(ctx, project, [folder], engine.address, started, run)
          : undefined;
      // The controller runs on; what it could not record is said, as any other error of a pass.
      if (unrecorded) ctx.stderr.write(`${formatError(unrecorded)}\n`);
      ctx.stdout.write(run.ok ? 'in sync\n' : 'not in sync; the next trigger tries again\n');
    } catch (e) {
      ctx.stderr.write(`${formatError(toBerthError(e))}\n`);
    }
  };
  const drain = async () => {
    while (pending.length && !stopped) {
      const why = pending;
      pending = [];
      await once(why);
    }
    running = undefined;
  };
  return {
    trigger(why: string) {
      if (stopped) return;
      if (!pending.includes(why)) pending.push(why);
      running ??= drain();
    },
    /** Takes no more triggers; resolves when the reconcile under way has ended. */
    stop: () => {
      stopped = true;
      return running ?? Promise.resolve();
    },
  };
}
