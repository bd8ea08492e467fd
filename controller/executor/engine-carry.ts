import {
  engineApiProblems,
  engineFieldProblems,
  needsEngineApiCheck,
  usesEngineFields,
} from '../../specs/index.js';
import type { DesiredObject } from '../../specs/model.js';
import type { Problem } from '../../specs/problems.js';
import type { EngineVersion } from '../engine/engine.js';
import { groupByEngine, type EngineGroup } from './placement.js';

/** What an engine says of itself that decides which fields it can carry (its `ping`). */
export type EngineFacts = Pick<EngineVersion, 'apiVersion' | 'limits'>;

/**
 * The facts of the engine of `context` (undefined: berth's own engine). Undefined: that
 * engine cannot be asked now; its objects are not checked here (they fail with that reason
 * when their engine is observed, and nothing is made there).
 */
export type EngineFactsOf = (context: string | undefined) => Promise<EngineFacts | undefined>;

/** What one engine cannot carry of its objects, and how messages name that engine. */
export interface EngineVerdict {
  problems: Problem[];
  engineText: string;
}

/** Whether `objects` use a field some engine or API version cannot carry (else: ask none). */
export function usesLimitedFields(objects: readonly DesiredObject[]): boolean {
  return needsEngineApiCheck(objects) || usesEngineFields(objects);
}

/** What the engine with `facts` cannot carry of `objects`: its API version, then its limits. */
export function verdictOf(
  facts: EngineFacts,
  objects: readonly DesiredObject[],
  context: string | undefined,
): EngineVerdict {
  const { apiVersion, limits } = facts;
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

/**
 * Asks each engine the set is placed on (`spec.placement.context`, placement.ts
 * groupByEngine; `home` is the context berth runs against) which fields of its own objects it
 * cannot carry (F221, F286: a set placed partly on a Podman context beside a Docker home was
 * asked of the home engine only). Asks no engine when no object uses such a field, and only
 * the engines whose objects do. A set that places nothing elsewhere is one group, whatever
 * its objects use. An engine `factsOf` cannot ask gives no verdict.
 */
export async function engineVerdicts(
  objects: readonly DesiredObject[],
  home: string | undefined,
  factsOf: EngineFactsOf,
): Promise<EngineVerdict[]> {
  if (!usesLimitedFields(objects)) return [];
  const placed = objects.some((o) => o.context !== undefined);
  const groups: EngineGroup[] = placed ? groupByEngine(objects, home) : [{ objects: [...objects] }];
  const verdicts = await Promise.all(
    groups
      .filter((g) => usesLimitedFields(g.objects))
      .map(async (g) => {
        const facts = await factsOf(g.context);
        return facts ? verdictOf(facts, g.objects, g.context) : undefined;
      }),
  );
  return verdicts.filter((v): v is EngineVerdict => v !== undefined);
}
