import type { Engine, ObservedState } from '../engine/engine.js';
import { sameEngineClusters } from '../executor/same-engine.js';

/**
 * Which of a watch's contexts reach one engine (a context for the local socket beside
 * `default`): apply joins such contexts into one set (same-engine.ts), and so must watch, or
 * each lane would prune what the other declared, over and over. Each engine is identified
 * once, as its lane first connects, by one observation of the project (its own mark and
 * the ids of what it holds); one at a time, so two lanes connecting together still meet.
 */
export class EngineIdentities {
  private readonly seen: { context: string | undefined; observed: ObservedState }[] = [];
  private turn: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly project: string,
    /** berth's own engine: identified first, before any other. */
    private readonly home: Engine,
  ) {}

  /**
   * The lane `engine` (reached through `context`) is one with: `{ joins }` naming the
   * context of a lane already identified on that engine (undefined: berth's own), or
   * undefined when it is an engine of its own. Rejects when an engine cannot be observed.
   */
  identify(context: string, engine: Engine): Promise<{ joins: string | undefined } | undefined> {
    const run = this.turn.then(async () => {
      if (this.seen.length === 0)
        this.seen.push({ context: undefined, observed: await this.observe(this.home) });
      const observed = await this.observe(engine);
      const at = this.seen.length;
      const cluster = sameEngineClusters([...this.seen.map((s) => s.observed), observed]).find(
        (c) => c.includes(at),
      );
      if (cluster) return { joins: this.seen[cluster[0]!]!.context };
      this.seen.push({ context, observed });
      return undefined;
    });
    this.turn = run.catch(() => undefined);
    return run;
  }

  private observe(engine: Engine): Promise<ObservedState> {
    return engine.observe({ project: this.project, identify: true });
  }
}
