import type { DesiredObject } from '../../../specs/model.js';
import { BerthError } from '../../errors.js';
import type { Engine, EngineEvent, EventOptions } from '../../engine/engine.js';
import { declaredResourceNames } from '../../labels.js';
import { describeOutput } from '../../status/describe-model.js';
import { formatDescribe } from '../views/format-describe.js';
import { queryProject, refuseBareName, unknownObject } from '../views/query.js';
import { writeOutput } from '../views/stable-output.js';
import { isKindless, parseTargetArgs, replicaNames } from '../views/target.js';
import type { CliContext, CommonOptions } from '../context.js';
import { resolveProjectName } from '../project-name.js';

export interface DescribeOptions extends CommonOptions {
  filename?: string[];
}

/** How far back describe looks for engine events. */
const EVENT_WINDOW_MS = 60 * 60 * 1000;
/** Replaying past events should end by itself; never let a slow engine hang describe. */
const EVENT_REPLAY_TIMEOUT_MS = 5_000;

/**
 * `berth describe KIND/NAME|KIND NAME [-f PATH] [-o text|json|yaml]`: exit 0, or 1 for an unknown object.
 * The declared name of a Container with replicas describes each replica (`{items}` in JSON).
 */
export async function run(
  ctx: CliContext,
  rawTarget: string,
  rawName: string | undefined,
  options: DescribeOptions,
): Promise<number> {
  const project = resolveProjectName(options.project, options.filename ?? [], ctx.cwd, ctx.env);
  if (isKindless(rawTarget, rawName))
    await refuseBareName(ctx, 'describe', rawTarget, project, options.filename);
  const target = parseTargetArgs(rawTarget, rawName);
  if (!target.kind || target.name === undefined) {
    throw new BerthError('E_USAGE', `describe needs KIND/NAME (or KIND NAME), got "${rawTarget}"`);
  }
  const engine = await ctx.engine();
  const inspect = target.kind === 'Container' ? [target.name] : [];
  let view = await queryProject(ctx, project, options.filename, { inspect, engine });
  const key = `${target.kind}/${target.name}`;
  let names = [target.name];
  if (!view.status.objects.some((o) => o.key === key)) {
    // A replicated container's declared name describes each of its replicas.
    names = replicaNames(view.desired, target);
    if (names.length === 0) throw unknownObject(key, project, namesOfKind(view, target.kind));
    view = await queryProject(ctx, project, options.filename, { inspect: names, engine });
  }
  const now = ctx.now();
  // Networks and volumes with a name of their own are known by it (their events carry no labels).
  const resources = declaredResourceNames(project, view.desired);
  const events = await recentEvents(engine, { project, resources: () => resources }, now);
  const outs = names.flatMap((name) => {
    const status = view.status.objects.find((o) => o.key === `${target.kind}/${name}`);
    const desired = view.desired.find((o) => o.kind === target.kind && o.name === name);
    return status ? [describeOutput(status, desired, view.history, events)] : [];
  });
  if (outs.length === 0) throw unknownObject(key, project);
  const value = outs.length === 1 && names[0] === target.name ? outs[0] : { items: outs };
  await writeOutput(ctx, options.output, value, () => outs.map(formatDescribe).join('\n'));
  return 0;
}

/** The engine's events of the project in the last EVENT_WINDOW_MS to `until` (replayed, then the stream ends). */
async function recentEvents(
  engine: Engine,
  scope: Pick<EventOptions, 'project' | 'resources'>,
  until: number,
): Promise<EngineEvent[]> {
  const events: EngineEvent[] = [];
  const window = { ...scope, since: until - EVENT_WINDOW_MS, until };
  const subscription = engine.subscribeEvents(window, (e) => events.push(e));
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>(
    (resolve) => (timer = setTimeout(resolve, EVENT_REPLAY_TIMEOUT_MS)),
  );
  await Promise.race([subscription.ended, timeout]);
  clearTimeout(timer);
  subscription.close();
  return events;
}

/** The names of `kind` a project's view holds, replicated containers by their own name too. */
function namesOfKind(
  view: { status: { objects: { key: string }[] }; desired: DesiredObject[] },
  kind: string,
): string[] {
  const prefix = `${kind}/`;
  const names = view.status.objects
    .filter((o) => o.key.startsWith(prefix))
    .map((o) => o.key.slice(prefix.length));
  for (const o of view.desired)
    if (o.kind === kind && o.kind === 'Container' && o.replica) names.push(o.replica.of);
  return [...new Set(names)];
}
