import { randomBytes } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { homeContext } from '../plan-of.js';
import { readHold } from '../../records/hold.js';
import { resolve } from 'node:path';
import { formatProblem, formatWarning } from '../../../specs/problems.js';
import { parseDelay } from '../../../specs/validate/values.js';
import { startApiServer, type ApiServer } from '../../api/server.js';
import { parseListenAddress, isLoopback } from '../../api/listen-address.js';
import { BerthError } from '../../errors.js';
import {
  brokenSourceStatus,
  unreadSourceStatus,
  warnedSourceStatus,
} from '../../status/broken-source.js';
import { heldNotice, heldStatus, statusOnceStarted } from '../../status/held-status.js';
import { loadProjectView } from '../../status/project-view.js';
import type { ObjectKey } from '../../../specs/model.js';
import { engineOfContext } from '../../engine/docker/context-engine.js';
import type { Engine } from '../../engine/engine.js';
import { spansEngines } from '../../executor/placement.js';
import { queryAcross } from '../views/query-across.js';
import { watchWeb } from '../../web/watch-web.js';
import { WatchController } from '../../watch/controller.js';
import { acquireLock } from '../../watch/lock.js';
import type { CliContext, CommonOptions } from '../context.js';
import { takeProjectLock } from '../project-lock.js';
import { resolveProjectName, sanitizeProjectName } from '../project-name.js';
import { policyFromFlags, type PolicyFlags } from '../policy-flags.js';
import { gitDefaultProject, prepareGitWatch, type GitWatchFlags } from '../../git/watch-git.js';
import { gitSourceMetrics } from '../../git/source-status.js';
import { StartLog } from '../../records/starts.js';

interface WatchCommandOptions extends CommonOptions, Partial<GitWatchFlags>, PolicyFlags {
  listen: string;
  token?: string;
  resync: string;
  allowEmpty?: boolean;
  parallel: string;
  lockTimeout?: string;
  /** Web view buttons (sync, restart…); read-only without. */
  uiActions?: boolean;
  /** Prune also what another folder of the project applied. */
  force?: boolean;
}

/** How long in-flight reconciles may take to finish after SIGTERM/SIGINT. */
const SHUTDOWN_GRACE_MS = 10_000;

/**
 * `berth watch DIR`: takes the project's lock, starts the controller and its status API,
 * and runs until SIGTERM/SIGINT. Then it stops taking work, lets in-flight reconciles end
 * (bounded), leaves every container as it is, releases the lock and exits 0.
 */
export async function run(
  ctx: CliContext,
  dir: string | undefined,
  options: WatchCommandOptions,
): Promise<number> {
  const resyncMs = parseDelay(options.resync);
  const parallel = Number(options.parallel);
  if (resyncMs === undefined)
    throw new BerthError('E_USAGE', `--resync ${options.resync} is not a duration (e.g. 60s)`);
  if (!Number.isInteger(parallel) || parallel < 1)
    throw new BerthError('E_USAGE', '--parallel must be a whole number ≥ 1');
  const address = parseListenAddress(options.listen);
  if (!isLoopback(address.host) && !options.token) {
    throw new BerthError(
      'E_USAGE',
      `--listen ${options.listen} is reachable from other machines; it needs --token`,
    );
  }
  if (dir && options.git)
    throw new BerthError('E_USAGE', 'give either a folder or --git URL, not both');
  if (!dir && !options.git)
    throw new BerthError('E_USAGE', 'berth watch needs a folder, or --git URL', {
      hint: 'berth watch ./manifests   or   berth watch --git https://host/repo.git --path deploy',
    });
  const folder = resolve(ctx.cwd, dir ?? '.');
  if (dir) await requireFolder(dir, folder);
  const project = options.git
    ? options.project
      ? resolveProjectName(options.project, [], ctx.cwd, ctx.env)
      : sanitizeProjectName(gitDefaultProject(options.git, ctx.cwd))
    : resolveProjectName(options.project, [folder], ctx.cwd, ctx.env);
  const git = options.git
    ? prepareGitWatch(
        { ...options, git: options.git },
        {
          cwd: ctx.cwd,
          stateDir: ctx.stateDir,
          project,
          logger: ctx.logger,
          // The source is started by the controller, once it exists.
          appliedCommit: (): string | undefined => controller.appliedCommit(),
        },
      )
    : undefined;
  // Every start the controller makes is recorded as berth's (status tells the engine's from them).
  const starts = new StartLog({ stateDir: ctx.stateDir, project }, ctx.now, ctx.logger);
  const engine = starts.noting(await ctx.engine());
  // Reached before the lock is taken: a watch of an engine that is away ends at once.
  await engine.ping();

  const writer = await takeProjectLock(ctx, project, 'watch', options.lockTimeout);
  const holder = {
    pid: process.pid,
    project,
    engine: engine.address,
    listen: options.listen,
    startedAt: ctx.now(),
    control: randomBytes(24).toString('base64url'),
  };
  const lock = await acquireLock(ctx.stateDir, holder).catch(async (e: unknown) => {
    await writer.release();
    throw e;
  });
  let api: ApiServer | undefined;
  const engineContext = homeContext(ctx);
  const controller = new WatchController({
    engine,
    ...(engineContext ? { engineContext } : {}),
    // Objects placed on another context are reconciled on its engine, their starts noted too.
    engineFor: async (context) => starts.noting(await engineOfContext(context, ctx.env)),
    project,
    dir: folder,
    allowEmpty: Boolean(options.allowEmpty),
    force: Boolean(options.force),
    resyncMs,
    parallel,
    logger: ctx.logger,
    stateDir: ctx.stateDir,
    loadOptions: {
      policy: policyFromFlags(options, ctx.cwd, {
        ...ctx,
        ownSources: git && [git.controller.hostRoot.checkout, git.source.checkoutsDir],
      }),
    },
    ...(ctx.envFiles ? { envFiles: ctx.envFiles.map((f) => resolve(ctx.cwd, f)) } : {}),
    ...git?.controller,
    ...(git ? { sources: [git.workSource] } : {}),
  });
  // Until the controller has read its source, status cannot say in sync (statusOnceStarted).
  let started = false;
  const status = async () => {
    const now = await statusOnceStarted(
      () => started,
      () => projectStatus(ctx, controller, project, engine),
    );
    return unreadSourceStatus({ ...now, source: git?.status() ?? null });
  };
  const web = watchWeb({
    controller,
    // The page's header: the context (and its endpoint) the watch runs against.
    engineName: engineContext ? `${engineContext} (${engine.address})` : engine.address,
    project,
    stateDir: ctx.stateDir,
    status,
    uiActions: Boolean(options.uiActions),
  });
  try {
    api = await startApiServer(options.listen, options.token, {
      live: { view: web.view, project },
      actions: web.actions,
      control: { key: holder.control, actions: web.control },
      bus: controller.bus,
      metrics: () => controller.metrics.render() + (git ? gitSourceMetrics(git.source) : ''),
      health: () => ({
        project,
        engine: engine.address,
        engineReachable: controller.metrics.engineReachable,
        queueDepth: controller.lanes.depth(),
      }),
      status,
      ...(git?.webhook ? { webhook: git.webhook } : {}),
      ...(git?.webhookOff ? { webhookOff: git.webhookOff } : {}),
    });
    // The local CLI finds the API here (`--listen …:0` binds a port only now).
    if (api.address !== holder.listen) await lock.update({ ...holder, listen: api.address });
    const stopped = untilSignalled();
    // The git source's first check exports the commit the controller then reads at its start.
    await controller.start();
    started = true;
    await web.view.start();
    // A git watch reads the repository, not the folder it was started in (F33).
    const watched = git
      ? (({ url, ref, path }) => ({ git: url, ref, path }))(git.status())
      : { dir: folder };
    ctx.logger.info(
      { project, ...watched, listen: api.address, engine: engine.address },
      'watching',
    );
    const signal = await stopped;
    ctx.logger.info({ signal }, 'stopping: finishing in-flight work; containers keep running');
  } finally {
    web.view.stop();
    await controller.stop(SHUTDOWN_GRACE_MS);
    await api?.close();
    await starts.settled();
    await lock.release();
    await writer.release();
  }
  return 0;
}

/** The watched folder must exist and be a folder (else its parent's name would be the project). */
async function requireFolder(given: string, folder: string): Promise<void> {
  const info = await stat(folder).catch(() => undefined);
  if (!info)
    throw new BerthError('E_USAGE', `cannot watch ${given}: no such folder (${folder})`, {
      hint: 'create it first, or give the folder that holds the manifests',
    });
  if (!info.isDirectory())
    throw new BerthError('E_USAGE', `cannot watch ${given}: not a folder (${folder})`, {
      hint: 'berth watch takes a folder of manifests; use berth apply -f for a single file',
    });
}

/**
 * The status the API serves: the project as the controller holds it, on every engine the set
 * is placed on (each object with its context, as `berth status` and `get` show it; an engine
 * that cannot be reached lists its objects as unknown, and the notice names its context).
 */
async function projectStatus(
  ctx: CliContext,
  controller: WatchController,
  project: string,
  engine: Engine,
) {
  // Taken first, before any await: statusOnceStarted judges the set by when the call began.
  const snapshot = controller.store.snapshot();
  const groups = controller.lanes.groups();
  const problems = snapshot.problems.map(formatProblem);
  const warnings = (snapshot.warnings ?? []).map(formatWarning);
  const hold = await readHold(ctx.stateDir, project);
  const held = hold ? heldNotice(hold) : undefined;
  // Another context's engine that is away fails only its objects: the notice names it.
  const away = [...controller.metrics.unreachable]
    .filter(([context]) => context !== '')
    .map(
      ([context, why]) =>
        `context "${context}" unreachable: ${why.replace(`context "${context}": `, '')}`,
    );
  const notice = [held, snapshot.notice, ...away].filter(Boolean).join('; ') || undefined;
  const desired = {
    objects: snapshot.objects,
    source: 'files' as const,
    ...(notice ? { notice } : {}),
  };
  const berthRestarts = (key: ObjectKey) => {
    const loop = controller.crashLoop.describe(key, ctx.now());
    return { restarts: loop.total, backoffMs: loop.backoffMs };
  };
  const view = spansEngines(groups)
    ? await queryAcross(ctx, project, desired, groups, engine, {
        engineOf: (context) => controller.lanes.engineOf(context),
        berthRestarts,
      })
    : await loadProjectView(engine, {
        stateDir: ctx.stateDir,
        project,
        desired,
        now: ctx.now(),
        berthRestarts,
        liveFailure: (key) => controller.failures.get(key),
      });
  const heldBack = hold ? await controller.store.heldBack() : [];
  const status = hold
    ? heldStatus(
        view.status,
        heldBack.map((key) => controller.lanes.statusKey(key)),
        hold,
      )
    : view.status;
  return warnedSourceStatus(brokenSourceStatus(status, problems), warnings);
}

/** Resolves with the first SIGTERM or SIGINT. */
function untilSignalled(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals) => {
      process.off('SIGTERM', on);
      process.off('SIGINT', on);
      resolve(signal);
    };
    process.on('SIGTERM', on);
    process.on('SIGINT', on);
  });
}
