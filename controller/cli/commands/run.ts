import { randomBytes } from 'node:crypto';
import type { ContainerObject } from '../../../specs/model.js';
import { shellWords } from '../../../specs/compose/values.js';
import { containerCreateRequest } from '../../executor/container-request.js';
import type { ContainerCreateRequest } from '../../engine/engine.js';
import { BerthError } from '../../errors.js';
import { LABEL, engineName, ownershipLabels } from '../../labels.js';
import type { CliContext } from '../context.js';
import { declaredSet } from '../declared-set.js';
import { connectStreams } from '../project-containers.js';
import { resolveProjectName } from '../project-name.js';

interface RunOptions {
  project?: string;
  filename?: string[];
  rm?: boolean;
  interactive?: boolean;
  tty?: boolean;
  env?: string[];
  entrypoint?: string;
}

/**
 * `berth run NAME [--rm] [-e K=V] [--entrypoint C] [-- ARGS…]`: a one-off container from a
 * declared container's spec (of -f, else of the last applied set), as `compose run`: ARGS
 * replace `args`, `--entrypoint` replaces `command`, no published ports, restart never.
 * Named `<project>-<name>-run-<id>` and labelled `berth.oneoff=true` (apply's prune leaves
 * it alone while it runs). Its output is streamed; berth exits with its exit code.
 */
export async function run(
  ctx: CliContext,
  name: string,
  args: string[],
  options: RunOptions,
): Promise<number> {
  if (options.interactive || options.tty)
    throw new BerthError(
      'E_USAGE',
      'berth run -i/-t is not available yet: use berth run, or berth exec -it on a running container',
    );
  const project = resolveProjectName(options.project, options.filename ?? [], ctx.cwd);
  const declared = await declaredSet(ctx, project, options.filename);
  const container = declared.find(
    (o): o is ContainerObject => o.kind === 'Container' && o.name === name,
  );
  if (!container)
    throw new BerthError('E_UNKNOWN_OBJECT', `no container ${name} declared in project ${project}`);
  const engine = await ctx.engine();
  const base = containerCreateRequest(container, project, declared);
  const request = oneOffRequest(base, project, name, args, options, ctx.env);
  const { id } = await engine.createContainer(request);
  try {
    const streams = await connectStreams(ctx);
    await engine.startContainer(id);
    const logs = await streams.streamLogs(id, { follow: true }, (line) =>
      (line.stream === 'stderr' ? ctx.stderr : ctx.stdout).write(line.text + '\n'),
    );
    await logs.ended;
    return await exitCodeOf(ctx, id);
  } finally {
    if (options.rm) await engine.removeContainer(id).catch(() => undefined);
  }
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
  };
}

/** The exit code once the engine reports the container stopped (logs end a little earlier). */
async function exitCodeOf(ctx: CliContext, id: string): Promise<number> {
  const engine = await ctx.engine();
  for (let i = 0; i < 100; i++) {
    const details = await engine.inspectContainer(id);
    if (!details) return 1;
    if (details.state === 'exited' || details.state === 'dead') return details.exitCode;
    await new Promise((r) => setTimeout(r, 100));
  }
  return 1;
}
