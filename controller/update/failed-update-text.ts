import type { ReplaceResult } from './replace.js';
import type { UpdatePolicy } from './update-policy.js';

/**
 * What a failed update left, as its reason begins. stop-first stopped the old container before
 * the new one ran (F343: it said "keeps running"); start-first never touched it, but it keeps
 * running only when it ran (F540: a crash-looping one was said to keep running).
 */
export function failedUpdateText(
  result: Exclude<ReplaceResult, { outcome: 'replaced' }>,
  order: UpdatePolicy['order'],
): string {
  if (result.outcome === 'paused')
    return 'update paused (onFailure: pause): both containers are left for inspection';
  if (order === 'stop-first')
    return 'update rolled back: the old container was stopped for the update and started again';
  const old = result.old;
  if (!old || (old.state === 'running' && old.health !== 'unhealthy'))
    return 'update rolled back: the old container keeps running';
  const as = old.state === 'running' ? 'running, unhealthy' : old.state;
  return `update rolled back: the old container is left as it was (${as})`;
}
