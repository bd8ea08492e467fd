import type { DesiredObject } from '../../specs/model.js';
import type { Engine } from '../engine/engine.js';
import { engineOfContext } from '../engine/docker/context-engine.js';
import { BerthError } from '../errors.js';
import {
  engineVerdicts,
  usesLimitedFields,
  verdictOf,
  type EngineVerdict,
} from '../executor/engine-carry.js';
import type { CliContext } from './context.js';
import { homeContext } from './plan-of.js';

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
  const error = refusal([verdictOf(await engine.ping(), objects, undefined)]);
  if (error) throw error;
}

/**
 * {@link refuseWhatTheEngineCannotCarry} for a declared set, each object asked of the engine
 * it lives on (`spec.placement.context`, executor/engine-carry.ts; F221). Every verb that
 * creates containers from the set or compares it with the engines runs this first (apply,
 * rollback, plan, diff; `berth watch` asks the same way for each read of its folder). A
 * context whose engine cannot be reached is not asked here: its objects fail with that reason
 * when it is observed, and nothing is made there.
 */
export async function refuseWhatTheEnginesCannotCarry(
  ctx: CliContext,
  objects: readonly DesiredObject[],
): Promise<void> {
  const verdicts = await engineVerdicts(objects, homeContext(ctx), async (context) => {
    if (context === undefined) return (await ctx.engine()).ping();
    const engine = await engineOfContext(context, ctx.env).catch(() => undefined);
    return engine?.ping().catch(() => undefined);
  });
  const error = refusal(verdicts);
  if (error) throw error;
}
