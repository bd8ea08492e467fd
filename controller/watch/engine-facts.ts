import type { Engine } from '../engine/engine.js';
import type { EngineFacts, EngineFactsOf } from '../executor/engine-carry.js';

/**
 * The facts of each engine a watch places objects on (engine-carry.ts), asked once per engine
 * for the whole watch: `home` for berth's own, `engineFor(context)` for another context's
 * (F286). An engine that cannot be asked now gives undefined (the store keeps back its
 * objects' uses of such fields, F391) and is asked again at the next read.
 */
export function engineFactsOnce(
  home: Engine,
  engineFor: ((context: string) => Promise<Engine>) | undefined,
): EngineFactsOf {
  const known = new Map<string | undefined, EngineFacts>();
  return async (context) => {
    const cached = known.get(context);
    if (cached) return cached;
    const engine = context === undefined ? home : await engineFor?.(context).catch(() => undefined);
    const { apiVersion, limits } = (await engine?.ping().catch(() => undefined)) ?? {};
    if (apiVersion === undefined) return undefined;
    const facts: EngineFacts = { apiVersion, ...(limits ? { limits } : {}) };
    known.set(context, facts);
    return facts;
  };
}
