import type { CliContext, CommonOptions } from '../context.js';
import { tableWidth } from '../context.js';
import { resolveProjectName } from '../project-name.js';
import { allProjectStatuses } from '../../status/all-projects.js';
import { formatGetTable } from '../views/format-get.js';
import { queryProject, refuseBareName, unknownObject } from '../views/query.js';
import { writeOutput } from '../views/stable-output.js';
import type { ObjectStatus } from '../../status/status-types.js';
import {
  isKindless,
  parseTargetArgs,
  replicaNames,
  selects,
  type Target,
} from '../views/target.js';
import { watchAndRender } from '../views/watch-view.js';
import { ChangedRows } from '../views/changed-rows.js';

/** `get -w` of a table also re-reads every 2 s; unchanged rows print nothing. */
const RESYNC_MS = 2_000;

export interface GetOptions extends CommonOptions {
  filename?: string[];
  watch?: boolean;
  allProjects?: boolean;
}

/**
 * `berth get [KIND[/NAME] | KIND NAME] [-f PATH] [-w] [-A] [-o table|wide|json|yaml]`: objects with desired
 * and observed state. Exit 0; 1 when NAME is neither declared nor on the engine.
 */
export async function run(
  ctx: CliContext,
  rawTarget: string | undefined,
  rawName: string | undefined,
  options: GetOptions,
): Promise<number> {
  const project = resolveProjectName(options.project, options.filename ?? [], ctx.cwd, ctx.env);
  if (isKindless(rawTarget, rawName) && !options.allProjects)
    await refuseBareName(ctx, 'get', rawTarget, project, options.filename);
  const target = parseTargetArgs(rawTarget, rawName);
  const once = async () =>
    render(ctx, await listObjects(ctx, project, target, options), options, target);
  if (!options.watch) {
    await once();
    return 0;
  }
  const rows = new ChangedRows((o) =>
    formatGetTable([{ ...o, ageSeconds: null }], {
      wide: options.output === 'wide',
      color: false,
      width: Number.POSITIVE_INFINITY,
      withProject: options.allProjects,
    }),
  );
  const changedOnly = async () => {
    const objects = await listObjects(ctx, project, target, options);
    if (options.output === 'json' || options.output === 'yaml')
      return render(ctx, objects, options, target);
    const { header, changed, gone } = rows.next(objects);
    if (changed.length) {
      const table = tableText(ctx, changed, options).split('\n');
      ctx.stdout.write((header ? table : table.slice(1)).join('\n'));
    }
    for (const key of gone) ctx.stdout.write(`${key} deleted\n`);
  };
  const stop = new AbortController();
  const onSigint = () => stop.abort();
  process.once('SIGINT', onSigint);
  try {
    const tables = options.output !== 'json' && options.output !== 'yaml';
    await watchAndRender(
      await ctx.engine(),
      project,
      changedOnly,
      stop.signal,
      tables ? RESYNC_MS : undefined,
    );
  } finally {
    process.off('SIGINT', onSigint);
  }
  return 0;
}

async function listObjects(
  ctx: CliContext,
  project: string,
  target: Target,
  options: GetOptions,
): Promise<ObjectStatus[]> {
  if (options.allProjects) {
    const statuses = await allProjectStatuses(await ctx.engine(), ctx.stateDir, ctx.now());
    return statuses.flatMap((s) => s.objects).filter((o) => selects(target, o));
  }
  const view = await queryProject(ctx, project, options.filename);
  // The table has no room for it; stderr keeps stdout parseable for -o json.
  if (view.status.notice) ctx.stderr.write(`${view.status.notice}\n`);
  const objects = view.status.objects.filter((o) => selects(target, o));
  if (target.name !== undefined && objects.length === 0) {
    // A replicated container's declared name lists its replicas.
    const replicas = replicaNames(view.desired, target);
    const rows = view.status.objects.filter(
      (o) => o.kind === 'Container' && replicas.includes(o.name),
    );
    if (rows.length === 0) throw unknownObject(`${target.kind}/${target.name}`, project);
    return rows;
  }
  return objects;
}

/**
 * `-o json|yaml` of a named object (`get Container/web`) is the object itself, as kubectl
 * prints it; a kind, everything, or a replicated container's replicas are `{items: […]}`.
 */
async function render(
  ctx: CliContext,
  objects: ObjectStatus[],
  options: GetOptions,
  target: Target,
): Promise<void> {
  const [only] = objects;
  const single = objects.length === 1 && only !== undefined && only.name === target.name;
  await writeOutput(ctx, options.output, single ? only : { items: objects }, () =>
    tableText(ctx, objects, options),
  );
}

function tableText(ctx: CliContext, objects: ObjectStatus[], options: GetOptions): string {
  return formatGetTable(objects, {
    wide: options.output === 'wide',
    color: ctx.color,
    width: tableWidth(ctx.stdout),
    withProject: options.allProjects,
  });
}
