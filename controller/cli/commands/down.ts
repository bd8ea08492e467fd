import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { relative } from 'node:path';
import type { DesiredObject, ObjectKey } from '../../../specs/model.js';
import type { ObservedState } from '../../engine/engine.js';
import { BerthError } from '../../errors.js';
import { LABEL } from '../../labels.js';
import { ownedKey } from '../../container-names.js';
import { filesFolder } from '../../plan/file-mount-paths.js';
import { readLastApplied } from '../../records/index.js';
import type { CliContext } from '../context.js';
import { withProjectLock } from '../project-lock.js';
import { resolveProjectName } from '../project-name.js';
import { projectsAppliedUnder } from '../applied-under.js';
import { deleteObjects, whileInterruptible } from './delete.js';
import { againCommand } from '../delete-interrupted.js';
import type { Interrupt } from '../interrupt.js';
import { ownedObjectKeys, unrecordedObjectsError } from '../unrecorded-objects.js';
import { writeOutput } from '../views/stable-output.js';
import { editDistance } from '../../../specs/validate/suggest.js';

interface DownOptions {
  project?: string;
  output?: 'text' | 'json' | 'yaml';
  volumes?: boolean;
  timeout: string;
  parallel: string;
  lockTimeout?: string;
  /** Also delete what another folder of the project applied (down without -p). */
  force?: boolean;
}

/**
 * `berth down [--volumes]`: deletes the project's last applied set, dependants first, under
 * the project's writer lock, on one observation of the engine. Volumes (and their data) stay
 * unless `--volumes` (which removes retained ones too); host paths always stay; one-offs of
 * `berth run` are stopped and removed first, as Compose's are. A project
 * never applied has nothing to delete (exit 0); one with no record whose containers or
 * networks exist is refused, naming them (exit 1, F181); a hint names the projects applied from a
 * folder below this one (F84). Without `-p`, objects
 * another folder of the same name applied (`berth.source`) are refused unless `--force`
 * (docker/compose#7969: `down` in one folder destroyed the other's). Exit as delete; after
 * Ctrl-C, SIGTERM or SIGHUP nothing new starts, what is under way finishes, and it exits
 * 128 + the signal saying what is left, for `berth down` again (F250).
 */
export async function run(ctx: CliContext, options: DownOptions): Promise<number> {
  const project = resolveProjectName(options.project, [], ctx.cwd, ctx.env);
  // The record is read under the lock: a first apply still running has none yet, and down must
  // name it rather than say there is nothing to delete while it creates objects (F82).
  return withProjectLock(ctx, project, 'down', options.lockTimeout, () =>
    whileInterruptible((interrupt) => down(ctx, project, options, interrupt)),
  );
}

/** `down`'s work, under the lock, with the signals caught. */
async function down(
  ctx: CliContext,
  project: string,
  options: DownOptions,
  interrupt: Interrupt,
): Promise<number> {
  const last = await readLastApplied(ctx.stateDir, project);
  if (!last.ok) {
    if (last.problem.reason !== 'missing') throw new BerthError('E_RECORD', last.problem.message);
    return nothingApplied(ctx, project, options.output);
  }
  const declared = last.value.objects;
  const keys = declared
    .filter((o) => options.volumes || o.kind !== 'Volume')
    .map((o) => `${o.kind}/${o.name}` as ObjectKey);
  // Without -p the project is this folder's: what another folder applied is not its to delete.
  const sourceFolders = options.project ? undefined : [ctx.cwd];
  // One observation for the whole down: the one-offs go from it, then delete plans on it.
  const engine = await ctx.engine();
  const { observed, oneOffs } = await removeOneOffs(
    ctx,
    { project, declared, interrupt, output: options.output },
    await engine.observe({ project }),
  );
  const code = await deleteObjects(ctx, {
    project,
    keys: options.volumes ? [...new Set([...keys, ...ownedVolumes(observed, project)])] : keys,
    declared,
    target: undefined,
    // --volumes removes retained volumes too: never "kept with its data" for a volume it removes.
    options: { ...options, purge: Boolean(options.volumes) },
    ...(sourceFolders ? { sourceFolders } : {}),
    force: Boolean(options.force),
    observed,
    interrupt,
    again: againCommand(ctx.argv, 'down'),
    history: options.volumes ? 'down --volumes' : 'down',
    oneOffs,
  });
  if (!options.volumes && !options.output) keptVolumesText(ctx, project, declared, observed);
  await removeFilesWhenNoContainers(ctx, project);
  return code;
}

/**
 * The declared volumes down left with their data, one line each with the way to remove them
 * (F858: down said nothing of them, while status went on listing them; `docker compose down`
 * keeps volumes too, and `-v` removes them).
 */
function keptVolumesText(
  ctx: CliContext,
  project: string,
  declared: readonly { kind: string; name: string }[],
  observed: ObservedState,
): void {
  const onEngine = new Set(ownedVolumes(observed, project));
  for (const o of declared)
    if (o.kind === 'Volume' && onEngine.has(`Volume/${o.name}` as ObjectKey))
      ctx.stdout.write(
        `Volume/${o.name}: kept with its data; berth down -p ${project} --volumes removes it\n`,
      );
}

/** How many projects applied below this folder `down` names in text (F857: 170 lines). */
const HINTS_SHOWN = 5;

/** The names nearest to what was typed first (a typo's project on top), then by name. */
function nearestFirst<T extends { project: string }>(list: T[], typed: string): T[] {
  const distance = new Map(list.map((b) => [b.project, editDistance(b.project, typed)]));
  return [...list].sort(
    (a, b) =>
      (distance.get(a.project) ?? 0) - (distance.get(b.project) ?? 0) ||
      a.project.localeCompare(b.project),
  );
}

/**
 * A project with no record: refused while its objects exist (F181), else nothing to delete,
 * with a hint naming the projects applied from a folder below this one (F84).
 */
async function nothingApplied(
  ctx: CliContext,
  project: string,
  output: string | undefined,
): Promise<number> {
  const engine = await ctx.engine();
  const owned = ownedObjectKeys(project, await engine.observe({ project }));
  if (owned.length > 0) throw unrecordedObjectsError(project, owned);
  // This very folder is `.`, not `./.` (F465).
  const below = (await projectsAppliedUnder(ctx.stateDir, ctx.cwd, project)).map((other) => {
    const path = relative(ctx.cwd, other.source);
    return { project: other.project, from: path ? `./${path}` : '.' };
  });
  // -o json|yaml: down's document with nothing in it, and the projects below (F632).
  const document = { project, ok: true, nothingApplied: true, deleted: [], appliedBelow: below };
  await writeOutput(ctx, output, document, () =>
    [
      `Project ${project}: nothing applied, nothing to delete`,
      ...nearestFirst(below, project)
        .slice(0, HINTS_SHOWN)
        .map(
          (b) =>
            `hint: project ${b.project} was applied from ${b.from}; berth down -p ${b.project} deletes it`,
        ),
      ...(below.length > HINTS_SHOWN
        ? [
            `hint: and ${below.length - HINTS_SHOWN} more projects applied from folders below this one (berth down -o json lists them all)`,
          ]
        : []),
    ]
      .map((l) => `${l}\n`)
      .join(''),
  );
  return 0;
}

/**
 * Every volume of the project on the engine: the declared ones and those an `apply --prune`
 * kept with their data (`retain: true`). `down --volumes` removes them all, as `docker compose
 * down -v` removes the project's volumes (F276: the kept ones were left and down said
 * `0 deleted`); without it, down names the declared ones it keeps (F858).
 */
function ownedVolumes(observed: ObservedState, project: string): ObjectKey[] {
  return observed.volumes.flatMap((v) => {
    const key = ownedKey(v, project);
    return key?.startsWith('Volume/') ? [key as ObjectKey] : [];
  });
}

/** Seconds a one-off gets to stop when the container it was run from is not declared. */
const ONE_OFF_GRACE_SEC = 10;

/**
 * A project torn down keeps no Secret or Config copies (F123): once none of its containers
 * is left on the engine (a running one-off, say, still mounts them), its files folder goes,
 * with what earlier berths left there.
 */
async function removeFilesWhenNoContainers(ctx: CliContext, project: string): Promise<void> {
  // A project without Secret or Config copies costs down no second observation (its engine
  // calls stay one observe: engine-observe-calls.test.ts).
  const folder = filesFolder(ctx.stateDir, project);
  if (!existsSync(folder)) return;
  const engine = await ctx.engine();
  const left = await engine.observe({ project }).catch(() => undefined);
  if (left?.containers.length !== 0) return;
  await rm(folder, { recursive: true, force: true });
}

/**
 * Removes the project's one-off containers (`berth run` without `--rm`, label berth.oneoff),
 * as `docker compose down` removes a project's run containers: a running (or paused) one is
 * stopped first, within the grace period of the container it was run from (F164: a running
 * one kept the project's network and no berth command showed it). Returns the observation
 * without the containers it removed.
 */
async function removeOneOffs(
  ctx: CliContext,
  of: {
    project: string;
    declared: readonly DesiredObject[];
    interrupt: Interrupt;
    output: string | undefined;
  },
  observed: ObservedState,
): Promise<{ observed: ObservedState; oneOffs: { name: string; stopped: boolean }[] }> {
  const { project, declared } = of;
  const engine = await ctx.engine();
  const removed = new Set<string>();
  const oneOffs: { name: string; stopped: boolean }[] = [];
  // As they go for people; in down's document for -o json|yaml, stdout holding only that.
  const document = of.output === 'json' || of.output === 'yaml';
  for (const c of observed.containers) {
    // After a signal the rest is left to the next down (delete then starts nothing either).
    if (of.interrupt.interrupted) break;
    if (c.labels[LABEL.oneoff] !== 'true' || c.labels[LABEL.project] !== project) continue;
    const live = c.state === 'running' || c.state === 'paused' || c.state === 'restarting';
    if (live) await engine.stopContainer(c.id, oneOffGraceSec(declared, c.labels[LABEL.runOf]));
    await engine.removeContainer(c.id);
    removed.add(c.id);
    oneOffs.push({ name: c.name, stopped: live });
    if (!document)
      ctx.stdout.write(`one-off ${c.name}: ${live ? 'stopped and removed' : 'removed'}\n`);
  }
  if (removed.size === 0) return { observed, oneOffs };
  const containers = observed.containers.filter((c) => !removed.has(c.id));
  return { observed: { ...observed, containers }, oneOffs };
}

/** The stop grace of the declared container a one-off was run from, in whole seconds. */
function oneOffGraceSec(declared: readonly DesiredObject[], runOf: string | undefined): number {
  const from = declared.find((o) => o.kind === 'Container' && o.name === runOf);
  return from?.kind === 'Container'
    ? Math.ceil(from.spec.stopGracePeriodMs / 1000)
    : ONE_OFF_GRACE_SEC;
}
