import { didYouMeanName } from '../name-spelling.js';
import { bareNameError } from './target.js';
import type { CliContext } from '../context.js';
import { BerthError } from '../../errors.js';
import type { Engine } from '../../engine/engine.js';
import {
  desiredFromRecord,
  loadProjectView,
  type DesiredInput,
  type ProjectView,
} from '../../status/project-view.js';

/**
 * The CLI side shared by get, describe and status: where the desired set comes from, and how a
 * result is written in the chosen format.
 */

/** With -f: the files (invalid input fails with E_MANIFEST, exit 1); without: the last applied set. */
export async function desiredFor(
  ctx: CliContext,
  project: string,
  files: string[] | undefined,
): Promise<DesiredInput> {
  if (!files?.length) return desiredFromRecord(ctx.stateDir, project);
  // Loaded on demand: commands that compare against the record never load the parser.
  const { loadInput } = await import('../load-input.js');
  const loaded = await loadInput(ctx, files);
  return { objects: loaded.set.objects, source: 'files' };
}

/** One view of the project; its `status.notice` says when there was nothing to compare against. */
export async function queryProject(
  ctx: CliContext,
  project: string,
  files: string[] | undefined,
  extra: { inspect?: string[]; engine?: Engine } = {},
): Promise<ProjectView> {
  const desired = await desiredFor(ctx, project, files);
  const engine = extra.engine ?? (await ctx.engine());
  if (desired.objects.some((o) => o.context !== undefined)) {
    const { groupByEngine, spansEngines } = await import('../../executor/placement.js');
    const { engineAddress } = await import('../engine-flags.js');
    const home = engineAddress({ engine: ctx.engineFlag, context: ctx.contextFlag }, ctx.env);
    const groups = groupByEngine(desired.objects, home.context);
    if (spansEngines(groups)) {
      const { queryAcross } = await import('./query-across.js');
      return queryAcross(ctx, project, desired, groups, engine);
    }
  }
  const view = await loadProjectView(engine, {
    stateDir: ctx.stateDir,
    project,
    desired,
    now: ctx.now(),
    inspect: extra.inspect,
  });
  return view;
}

/** The error for a name that is neither declared nor on the engine. */
export function unknownObject(
  key: string,
  project: string,
  /** Names of the kind the project has, for a did-you-mean (F547). */
  known: Iterable<string> = [],
): BerthError {
  const name = key.slice(key.indexOf('/') + 1);
  const hint = didYouMeanName(name, known);
  return new BerthError('E_UNKNOWN_OBJECT', `no object ${key} in project ${project}${hint}`, {
    object: key,
    hint: 'berth get lists the objects of the project',
  });
}

/**
 * `berth describe web` (`get web`): when the project has an object named `web`, the usage
 * error names the command meant (views/target.ts bareNameError, F668 a); else it returns and
 * the word is refused as an unknown kind. Reads the project only on this error path.
 */
export async function refuseBareName(
  ctx: CliContext,
  verb: string,
  word: string,
  project: string,
  files: string[] | undefined,
): Promise<void> {
  // A project that cannot be read (no engine, bad files) leaves the unknown kind to be said.
  const view = await queryProject(ctx, project, files).catch(() => undefined);
  if (!view) return;
  const keys = view.status.objects.map((o) => o.key as string);
  // A replicated container answers to its declared name too (`describe container web`).
  for (const o of view.desired)
    if (o.kind === 'Container' && o.replica) keys.push(`Container/${o.replica.of}`);
  const error = bareNameError(verb, word, keys);
  if (error) throw error;
}
