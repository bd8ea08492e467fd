import type { CliContext } from '../cli/context.js';
import { copyWith, parseCopyEnd } from '../cli/commands/cp.js';
import { execIn, execProject, type ExecOptions } from '../cli/commands/exec.js';
import { engineAddress } from '../cli/engine-flags.js';
import { resolveProjectName } from '../cli/project-name.js';
import type { EngineStreams } from '../engine/engine-streams.js';
import { BerthError, formatError, toBerthError } from '../errors.js';
import { LABEL } from '../labels.js';
import { createSwarmEngine } from '../engine/swarm/swarm-engine.js';
import { nodeEngineAddress, parseTaskName, runningTask } from './swarm-node.js';

/**
 * The running task's container behind `NAME` or `NAME.SLOT` of a project on the Swarm, with
 * the streams of its node's engine (see nodeEngineAddress): what exec and cp work on.
 * Unknown names exit 1 (E_UNKNOWN_OBJECT), no running task 1 (E_STATE), a node berth cannot
 * locate 4 (E_NODE_UNREACHABLE), a node that does not answer 4 (E_ENGINE_UNREACHABLE).
 */
async function taskContainer(
  ctx: CliContext,
  project: string,
  target: string,
): Promise<{ streams: EngineStreams; containerId: string }> {
  const manager = engineAddress({ engine: ctx.engineFlag, context: ctx.contextFlag }, ctx.env);
  const engine = await createSwarmEngine(manager);
  const { name, slot } = parseTaskName(target);
  const observed = await engine.observe(project);
  const service = observed.services.find((s) => (s.labels[LABEL.name] ?? s.name) === name);
  if (!service)
    throw new BerthError(
      'E_UNKNOWN_OBJECT',
      `no service of project ${project} on the Swarm for ${name}`,
      { object: `Container/${name}`, hint: 'see berth status --backend swarm' },
    );
  const task = runningTask(service, observed.tasks, name, slot);
  const [nodes, selfId] = await Promise.all([engine.nodes(), engine.selfNodeId()]);
  const node = nodes.find((n) => n.id === task.nodeId);
  if (!node)
    throw new BerthError(
      'E_NODE_UNREACHABLE',
      `${name}.${task.slot} runs on a node the Swarm no longer lists (${task.nodeId})`,
    );
  const address = nodeEngineAddress(node, manager, selfId, ctx.env);
  const { createDockerStreams } = await import('../engine/docker/docker-streams.js');
  return {
    streams: await createDockerStreams(address),
    containerId: task.containerId ?? '',
  };
}

/**
 * `berth exec NAME[.SLOT] --backend swarm -- CMD…`: the command runs in a running task of the
 * service (the given replica slot's, else the lowest slot's), on that task's node; its exit
 * code becomes berth's.
 */
export async function swarmExecCommand(
  ctx: CliContext,
  target: string,
  command: string[],
  options: ExecOptions,
): Promise<number> {
  const project = execProject(ctx, command, options);
  const { streams, containerId } = await taskContainer(ctx, project, target);
  return execIn(ctx, streams, containerId, command, options);
}

/**
 * `berth cp NAME[.SLOT]:PATH LOCAL --backend swarm` (and the other way): files between the
 * host and a running task's container, through its node's engine. Exit 0, or 1 with the
 * reason; engines that cannot be reached stay 4.
 */
export async function swarmCopyCommand(
  ctx: CliContext,
  source: string,
  destination: string,
  options: { project?: string },
): Promise<number> {
  const from = parseCopyEnd(source);
  const to = parseCopyEnd(destination);
  try {
    if ('container' in from === 'container' in to)
      throw new BerthError(
        'E_USAGE',
        'cp copies between a container and the host: one side must be NAME:PATH',
      );
    const project = resolveProjectName(options.project, [], ctx.cwd, ctx.env);
    const target = 'container' in from ? from.container : (to as { container: string }).container;
    const { streams, containerId } = await taskContainer(ctx, project, target);
    await copyWith(ctx, streams, containerId, from, to);
    return 0;
  } catch (e) {
    const error = toBerthError(e);
    if (error.code === 'E_ENGINE_UNREACHABLE' || error.code === 'E_NODE_UNREACHABLE') throw error;
    ctx.stderr.write(formatError(error) + '\n');
    return 1;
  }
}
