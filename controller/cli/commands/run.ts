import { randomBytes } from 'node:crypto';
import type { ContainerObject } from '../../../specs/model.js';
import { copyPositions } from '../../../specs/positions.js';
import { shellWords } from '../../../specs/compose/values.js';
import { containerCreateRequest } from '../../plan/container-request.js';
import type { ContainerCreateRequest, Engine } from '../../engine/engine.js';
import type { EngineStreams } from '../../engine/engine-streams.js';
import { didYouMeanName, resolveSpelling } from '../name-spelling.js';
import { BerthError, formatError, toBerthError } from '../../errors.js';
import { isEngineError } from '../../engine/engine.js';
import { LABEL, engineName, ownershipLabels } from '../../labels.js';
import type { CliContext } from '../context.js';
import { declaredSet } from '../declared-set.js';
import { refuseWhatTheEngineCannotCarry } from '../engine-fields-check.js';
import { connectStreams } from '../project-containers.js';
import { engineOfContext } from '../../engine/docker/context-engine.js';
import { resolveProjectName } from '../project-name.js';
import { prepareDependencies } from '../run-dependencies.js';
import { parseDelay } from '../../../specs/validate/values.js';
import { watchSignals, type SignalWatch } from '../oneoff-signals.js';
import { followWindowSize, pipeInput, type TtyIn, type TtyOut } from '../terminal.js';

interface RunOptions {
  project?: string;
  filename?: string[];
  rm?: boolean;
  interactive?: boolean;
  tty?: boolean;
  env?: string[];
  entrypoint?: string;
  /** False with `--no-deps` (commander's negated flag). */
  deps?: boolean;
  /** How long the dependencies may take to converge and meet their conditions. */
  timeout?: string;
}

/**
 * `berth run NAME [--rm] [-i] [-t] [-e K=V] [--entrypoint C] [-- ARGS…]`: a one-off container from a
 * declared container's spec (of -f, else of the last applied set), as `compose run`: ARGS
 * replace `args`, `--entrypoint` replaces `command`, no published ports, restart never.
 * First its networks, volumes, image and `dependsOn` containers are converged and waited
 * for (run-dependencies.ts; `--no-deps`: no container, no wait), as compose run starts a
 * service's `depends_on` (F269).
 * Named `<project>-<name>-run-<id>` and labelled `berth.oneoff=true` (apply's prune leaves
 * it alone while it runs). Its output is streamed; berth exits with its exit code. `--rm`
 * is the engine's auto-removal (it holds if berth is killed) and a stop and removal when
 * berth is ended by a signal (exit code 128 + the signal's number).
 */
export async function run(
  ctx: CliContext,
  asked: string,
  args: string[],
  options: RunOptions,
): Promise<number> {
  const project = resolveProjectName(options.project, options.filename ?? [], ctx.cwd, ctx.env);
  const declared = await declaredSet(ctx, project, options.filename);
  // A replicated container's declared name runs from its first replica's spec (compose run).
  const containers = declared.filter((o): o is ContainerObject => o.kind === 'Container');
  const known = new Set(containers.flatMap((o) => [o.name, ...(o.replica ? [o.replica.of] : [])]));
  // A Compose service name as the user knows it (`my_db`) for the name import gave it (F547).
  const spelled = resolveSpelling(asked, known);
  const container =
    containers.find((o) => o.name === spelled) ??
    containers.find((o) => o.replica?.of === spelled && o.replica?.index === 1);
  if (!container)
    throw new BerthError(
      'E_UNKNOWN_OBJECT',
      `no container ${asked} declared in project ${project}${didYouMeanName(asked, known)}`,
    );
  const name = container.replica?.of ?? container.name;
  // A container placed on another context runs its one-offs there, beside it (F287).
  const placed = container.context;
  const engine = placed ? await engineOfContext(placed, ctx.env) : await ctx.engine();
  await refuseWhatTheEngineCannotCarry(engine, [asOneOff(container)]);
  const timeout = options.timeout ?? '5m';
  const timeoutMs = parseDelay(timeout);
  if (timeoutMs === undefined)
    throw new BerthError('E_USAGE', `--timeout ${timeout} is not a duration (e.g. 90s, 5m)`);
  const prepared = await prepareDependencies(ctx, engine, {
    project,
    declared,
    files: options.filename ?? [],
    container,
    noDeps: options.deps === false,
    deadline: ctx.now() + timeoutMs,
    timeout,
  });
  if (prepared !== 0) return prepared;
  const base = containerCreateRequest(container, project, declared);
  const request = oneOffRequest(base, project, name, args, options, ctx.env);
  // Never answer to the replica's own name (`api-1`): only the declared name, as any one-off.
  if (container.replica)
    request.networks = request.networks.map((n) => ({
      ...n,
      aliases: (n.aliases ?? []).filter((a) => a !== container.name),
    }));
  const { id } = await engine.createContainer(request);
  const signals = options.rm ? removeOnSignals(ctx, engine, id, request) : undefined;
  try {
    const streams = await connectStreams(ctx, placed);
    const attached = runAttached(ctx, engine, streams, id, request, options);
    if (!signals) return await attached;
    // After a signal the output keeps flowing until the one-off has stopped; the exit code
    // is then the signal's, as a shell reports a process it ended.
    attached.catch(() => undefined);
    const code = await Promise.race([attached, signals.ended]);
    return signals.signalled ? await signals.ended : code;
  } finally {
    signals?.dispose();
    if (options.rm) await engine.removeContainer(id).catch(() => undefined);
  }
}

/**
 * The declared container as far as a one-off carries it to the engine (F221: its fields are
 * asked of the engine before the create, as apply asks): no published ports.
 */
function asOneOff(container: ContainerObject): ContainerObject {
  const oneOff = { ...container, spec: { ...container.spec, ports: [] } };
  copyPositions(container, oneOff);
  return oneOff;
}

/**
 * `--rm` holds when berth is ended by a signal (a cancelled CI job, a closed terminal,
 * Ctrl-C), as in `docker compose run --rm`: the one-off is stopped within its grace period
 * and removed; a second signal removes it at once. The engine's auto-removal covers a
 * berth killed outright (SIGKILL).
 */
function removeOnSignals(
  ctx: CliContext,
  engine: Engine,
  id: string,
  request: ContainerCreateRequest,
): SignalWatch {
  const remove = () =>
    engine.removeContainer(id).then(
      () => undefined,
      () => undefined,
    );
  return watchSignals(async (signal) => {
    ctx.stderr.write(`${signal}: stopping and removing ${request.name}\n`);
    await engine.stopContainer(id, request.stopTimeoutSec).catch(() => undefined);
    await remove();
  }, remove);
}

/** The declared container's create request, turned into a one-off's. */
export function oneOffRequest(
  base: ContainerCreateRequest,
  project: string,
  name: string,
  args: string[],
  options: RunOptions,
  hostEnv: NodeJS.ProcessEnv,
): ContainerCreateRequest {
  const runName = `${name}-run-${randomBytes(3).toString('hex')}`;
  const env = { ...base.env };
  for (const pair of options.env ?? []) {
    const eq = pair.indexOf('=');
    if (eq > 0) env[pair.slice(0, eq)] = pair.slice(eq + 1);
    else if (hostEnv[pair] !== undefined) env[pair] = hostEnv[pair];
  }
  const entrypoint =
    options.entrypoint === undefined ? base.entrypoint : shellWords(options.entrypoint);
  return {
    ...base,
    name: engineName(project, runName),
    labels: {
      ...ownershipLabels(project, 'Container', runName, 'oneoff'),
      [LABEL.oneoff]: 'true',
      [LABEL.runOf]: name,
    },
    entrypoint,
    cmd: args.length ? args : options.entrypoint === undefined ? base.cmd : [],
    env,
    ports: [],
    restartPolicy: 'no',
    ...(options.rm ? { autoRemove: true } : {}),
    tty: Boolean(options.tty || base.tty),
    openStdin: Boolean(options.interactive || base.openStdin),
    ...(options.interactive ? { stdinOnce: true } : {}),
  };
}

/**
 * Attached to the container's own process before it starts (so no output is missed, as
 * `docker run`), stdin piped in with `-i` (EOF closes the process's stdin), the terminal
 * raw and its size followed with a TTY. Without a TTY and without `--rm`, Ctrl-C is passed
 * on to the process as SIGINT, as `docker run` proxies signals (with `--rm` it stops and
 * removes the one-off: removeOnSignals).
 */
async function runAttached(
  ctx: CliContext,
  engine: Engine,
  streams: EngineStreams,
  id: string,
  request: ContainerCreateRequest,
  options: RunOptions,
): Promise<number> {
  const tty = Boolean(request.tty);
  const interactive = Boolean(options.interactive);
  const session = await streams.attach(id, {
    stdin: interactive,
    tty,
    ...(request.autoRemove ? { autoRemoved: true } : {}),
  });
  session.onOutput((stream, chunk) => (stream === 'stderr' ? ctx.stderr : ctx.stdout).write(chunk));
  const notRun = await startOrCommandFailure(engine, id);
  if (notRun !== undefined) {
    session.exitCode.catch(() => undefined); // it never ran; the removal may end the wait
    ctx.stderr.write(`${formatError(toBerthError(notRun.error))}\n`);
    return notRun.code;
  }
  const releaseInput = interactive ? pipeInput(ctx.stdin as TtyIn, session, tty) : () => {};
  const releaseSize = tty ? followWindowSize(ctx.stdout as TtyOut, session) : () => {};
  const proxy = () => void engine.killContainer(id, 'SIGINT').catch(() => undefined);
  const proxied = !tty && !options.rm;
  if (proxied) process.on('SIGINT', proxy);
  try {
    return await session.exitCode;
  } finally {
    if (proxied) process.off('SIGINT', proxy);
    releaseInput();
    releaseSize();
  }
}

/**
 * Starts the one-off. A command the engine could not run is the command's failure, with the
 * shell's exit code as `docker run` gives it: 127 not found, 126 not executable (F465: berth
 * exited 2). Other start failures are thrown.
 */
async function startOrCommandFailure(
  engine: Engine,
  id: string,
): Promise<{ code: number; error: unknown } | undefined> {
  try {
    await engine.startContainer(id);
    return undefined;
  } catch (e) {
    const failure = isEngineError(e) ? e.detail?.commandFailure : undefined;
    if (failure === undefined) throw e;
    return { code: failure === 'not-found' ? 127 : 126, error: e };
  }
}
