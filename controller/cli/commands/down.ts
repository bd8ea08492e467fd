import type { ObjectKey } from '../../../specs/model.js';
import { BerthError } from '../../errors.js';
import { LABEL } from '../../labels.js';
import { readLastApplied } from '../../records/index.js';
import type { CliContext } from '../context.js';
import { withProjectLock } from '../project-lock.js';
import { resolveProjectName } from '../project-name.js';
import { deleteObjects } from './delete.js';

interface DownOptions {
  project?: string;
  volumes?: boolean;
  timeout: string;
  parallel: string;
  lockTimeout?: string;
  /** Also delete what another folder of the project applied (down without -p). */
  force?: boolean;
}

/**
 * `berth down [--volumes]`: deletes the project's last applied set, dependants first, under
 * the project's writer lock. Volumes (and their data) stay unless `--volumes`; host paths
 * always stay. A project never applied has nothing to delete (exit 0). Without `-p`, objects
 * another folder of the same name applied (`berth.source`) are refused unless `--force`
 * (docker/compose#7969: `down` in one folder destroyed the other's). Exit as delete.
 */
export async function run(ctx: CliContext, options: DownOptions): Promise<number> {
  const project = resolveProjectName(options.project, [], ctx.cwd);
  const last = await readLastApplied(ctx.stateDir, project);
  if (!last.ok) {
    if (last.problem.reason !== 'missing') throw new BerthError('E_RECORD', last.problem.message);
    ctx.stdout.write(`Project ${project}: nothing applied, nothing to delete\n`);
    return 0;
  }
  const declared = last.value.objects;
  const keys = declared
    .filter((o) => options.volumes || o.kind !== 'Volume')
    .map((o) => `${o.kind}/${o.name}` as ObjectKey);
  return withProjectLock(ctx, project, 'down', options.lockTimeout, async () => {
    // Without -p the project is this folder's: what another folder applied is not its to delete.
    const sourceFolders = options.project ? undefined : [ctx.cwd];
    await removeStoppedOneOffs(ctx, project);
    const code = await deleteObjects(ctx, {
      project,
      keys,
      declared,
      target: undefined,
      // --volumes removes retained volumes too: never "kept with its data" for a volume it removes.
      options: { ...options, purge: Boolean(options.volumes) },
      ...(sourceFolders ? { sourceFolders } : {}),
      force: Boolean(options.force),
    });
    if (!options.volumes) return code;
    const names = new Set(declared.filter((o) => o.kind === 'Volume').map((o) => o.name));
    return (await removeVolumes(ctx, project, names)) ? code : 2;
  });
}

/**
 * Removes the project's one-off containers (`berth run` without `--rm`, label berth.oneoff)
 * that are not running, as `docker compose down` removes a project's stopped one-offs; a
 * running one is never touched (it may be someone's session).
 */
async function removeStoppedOneOffs(ctx: CliContext, project: string): Promise<void> {
  const engine = await ctx.engine();
  const { containers } = await engine.observe({ project });
  for (const c of containers) {
    if (c.labels[LABEL.oneoff] !== 'true' || c.labels[LABEL.project] !== project) continue;
    if (c.state === 'running' || c.state === 'paused' || c.state === 'restarting') continue;
    await engine.removeContainer(c.id);
    ctx.stdout.write(`one-off ${c.name}: removed\n`);
  }
}

/** Removes the owned volumes of the set that `delete` keeps for their data (retain: true). */
async function removeVolumes(
  ctx: CliContext,
  project: string,
  names: Set<string>,
): Promise<boolean> {
  const engine = await ctx.engine();
  const { volumes } = await engine.observe({ project });
  let ok = true;
  for (const volume of volumes) {
    const name = volume.labels[LABEL.name];
    if (volume.labels[LABEL.project] !== project || volume.labels[LABEL.kind] !== 'Volume')
      continue;
    if (name === undefined || !names.has(name)) continue;
    try {
      await engine.removeVolume(volume.name);
      ctx.stdout.write(`Volume/${name}: removed with its data\n`);
    } catch (e) {
      ctx.stdout.write(`Volume/${name}: not removed: ${(e as Error).message}\n`);
      ok = false;
    }
  }
  return ok;
}
