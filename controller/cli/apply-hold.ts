import { readHold, releaseProject } from '../records/hold.js';
import type { CliContext } from './context.js';

/**
 * What an explicit `berth apply -f` does to the project's hold (F853). A rollback's hold
 * ends: the person has just applied a set of their own, the new source revision DESIGN.md
 * ("Updates and rollback") says ends it, and status went on saying "Held … (rollback to X)"
 * while the engine ran the new set. A `berth hold` by hand stays (only `release` ends it); the
 * apply has run all the same, and a line says the watch will still apply nothing new.
 */
export async function settleHoldAfterApply(ctx: CliContext, project: string): Promise<void> {
  const hold = await readHold(ctx.stateDir, project);
  if (!hold) return;
  if (!hold.by.includes('berth hold')) {
    await releaseProject(ctx.stateDir, project);
    ctx.stderr.write(`the hold of the ${hold.by} ends: this apply's set is the project's now\n`);
    return;
  }
  const since = new Date(hold.since).toISOString();
  ctx.stderr.write(
    `note: project ${project} is held (${hold.by} since ${since}): this apply ran, but berth watch applies no new source revision until berth release\n`,
  );
}
