import {
  engineApiProblems,
  engineFieldProblems,
  needsEngineApiCheck,
  usesEngineFields,
} from '../../specs/index.js';
import type { DesiredObject } from '../../specs/model.js';
import type { Problem } from '../../specs/problems.js';
import type { Engine } from '../engine/engine.js';
import { engineOfContext } from '../engine/docker/context-engine.js';
import { BerthError } from '../errors.js';
import { groupByEngine, type EngineGroup } from '../executor/placement.js';
import type { CliContext } from './context.js';
import { homeContext } from './plan-of.js';

/** Whether `objects` use a field some engine or API version cannot carry (else: ask none). */
function usesLimitedFields(objects: readonly DesiredObject[]): boolean {
  return needsEngineApiCheck(objects) || usesEngineFields(objects);
}

/** What one engine cannot carry of `objects`, and how messages name that engine. */
interface EngineVerdict {
  problems: Problem[];
  engineText: string;
}

/** Asks `engine` (one ping) which fields of `objects` it cannot carry. */
async function verdictOf(
  engine: Engine,
  objects: readonly DesiredObject[],
  context: string | undefined,
): Promise<EngineVerdict> {
  const { apiVersion, limits } = await engine.ping();
  const problems = [
    ...engineApiProblems(objects, apiVersion),
    ...(limits ? engineFieldProblems(objects, limits) : []),
  ];
  const version = limits ? `${limits.engine}, API ${apiVersion}` : `API ${apiVersion}`;
  return {
    problems,
    engineText: context === undefined ? version : `context ${context}: ${version}`,
  };
}

function refusal(verdicts: readonly EngineVerdict[]): BerthError | undefined {
  const refusing = verdicts.filter((v) => v.problems.length > 0);
  const problems = refusing.flatMap((v) => v.problems);
  if (problems.length === 0) return undefined;
  const n = problems.length;
  const engines = refusing.map((v) => v.engineText).join('; ');
  const whose = refusing.length === 1 ? `the engine (${engines})` : `the engines (${engines})`;
  return new BerthError(
    'E_MANIFEST',
    `${n} field${n === 1 ? '' : 's'} ${whose} cannot carry; nothing was changed`,
    { problems },
  );
}

/**
 * Refuses, before any change, objects that use a field `engine` cannot carry: one its API
 * version is too old for (specs/engine-api.ts), or one the engine drops or refuses whatever
 * its version, as its adapter declares (`ping().limits`, specs/engine-fields.ts; F165). Asks
 * the engine only when such a field is used, so a no-op apply keeps its four engine calls.
 * E_MANIFEST: exit 1, as for any input that cannot be applied.
 */
export async function refuseWhatTheEngineCannotCarry(
  engine: Engine,
  objects: readonly DesiredObject[],
): Promise<void> {
  if (!usesLimitedFields(objects)) return;
  const error = refusal([await verdictOf(engine, objects, undefined)]);
  if (error) throw error;
}

/**
 * {@link refuseWhatTheEngineCannotCarry} for a declared set, each object asked of the engine
 * it lives on (`spec.placement.context`, executor/placement.ts; F221: a set placed partly on a
 * Podman context beside a Docker home was asked of the home engine only). Every verb that
 * creates containers from the set or compares it with the engines runs this first (apply,
 * rollback, plan, diff). A context whose engine cannot be reached is not asked here: its
 * objects fail with that reason when it is observed, and nothing is made there.
 */
export async function refuseWhatTheEnginesCannotCarry(
  ctx: CliContext,
  objects: readonly DesiredObject[],
): Promise<void> {
  if (!usesLimitedFields(objects)) return;
  const placed = objects.some((o) => o.context !== undefined);
  const groups: EngineGroup[] = placed
    ? groupByEngine(objects, homeContext(ctx))
    : [{ objects: [...objects] }];
  const verdicts = await Promise.all(
    groups
      .filter((g) => usesLimitedFields(g.objects))
      .map(async (g) => {
        if (g.context === undefined) return verdictOf(await ctx.engine(), g.objects, undefined);
        const engine = await engineOfContext(g.context, ctx.env).catch(() => undefined);
        return engine ? verdictOf(engine, g.objects, g.context).catch(() => undefined) : undefined;
      }),
  );
  const error = refusal(verdicts.filter((v): v is EngineVerdict => v !== undefined));
  if (error) throw error;
}
