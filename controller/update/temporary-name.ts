import { NEXT_SUFFIX, PREV_SUFFIX } from '../labels.js';
import type { UpdatePolicy } from './update-policy.js';

/**
 * The engine name an update gives one of its containers for a while (DESIGN.md "Updates and
 * rollback"): the new one runs as `<engine-name>-next` (start-first), the old one waits as
 * `<engine-name>-prev` (stop-first). Pure.
 */
export function temporaryName(engineName: string, order: UpdatePolicy['order']): string {
  return `${engineName}${order === 'start-first' ? NEXT_SUFFIX : PREV_SUFFIX}`;
}

/**
 * The one sentence for an update whose temporary name another container holds: the reason
 * plan, status and the controller block the update with (F168), and apply's error when the
 * name was taken after the plan was made (replace.ts). `holder`: labels.ts holderOf, or
 * `another container` when it is not known.
 */
export function temporaryNameTaken(
  engineName: string,
  order: UpdatePolicy['order'],
  holder: string,
): string {
  const whose = order === 'start-first' ? 'the new container' : 'the old container';
  const name = temporaryName(engineName, order);
  return `the engine name ${name}, which a ${order} update gives ${whose}, is taken by ${holder}; nothing is stopped (remove or rename that container)`;
}
