import type { ExecuteResult } from '../executor/execute.js';
import { heldByNever } from '../executor/plan-work.js';
import { ranCounts } from '../executor/ran-summary.js';
import { orphansLeft } from '../plan/plan-format.js';
import type { Plan } from '../plan/plan-types.js';
import { undoText, type UndoResult } from './interrupt-undo.js';
import { visibleText } from '../../specs/visible-text.js';

/**
 * The text `berth apply` ends with: one line per object not converged, then the project's
 * line (unchanged / converged / failed to converge, with counts and seconds) and a hint.
 */
export function summaryText(
  project: string,
  plan: Plan,
  result: ExecuteResult | 'timeout',
  durationMs: number,
): string {
  const seconds = (durationMs / 1000).toFixed(1);
  if (result === 'timeout') {
    return `Project ${project}: timed out after ${seconds}s before converging; run berth status to see what is left\n`;
  }
  const lines: string[] = [];
  for (const o of result.outcomes) {
    if (o.outcome === 'converged') continue;
    lines.push(
      `${o.key}: ${o.outcome}${o.message ? `: ${visibleText(o.message, { keepNewlines: true })}` : ''}`,
    );
  }
  if (result.outcomes.length === 0 && plan.orphans) {
    lines.push(
      `Project ${project}: unchanged; the declared objects match the engine, ${orphansLeft(plan)} (${seconds}s)`,
    );
  } else if (result.outcomes.length === 0) {
    lines.push(
      `Project ${project}: unchanged; the engine already matches the manifests (${seconds}s)`,
    );
  } else {
    const c = ranCounts(plan, result.outcomes);
    const state = result.ok ? 'converged' : 'failed to converge';
    // An object that failed counts as failed whatever ran for it (ranEffect), as history's
    // `!N` says: a container created and started, then failed by `--wait` (a crash loop), was
    // in none of the counts, and "1 created" stood for a plan of 3 (F812).
    const failed = c.failed ? `, ${c.failed} failed` : '';
    lines.push(
      `Project ${project}: ${state} (${c.created} created, ${c.changed} changed, ${c.deleted} deleted${failed}) in ${seconds}s`,
    );
    if (result.outcomes.some(heldByNever))
      lines.push(
        'hint: restartPolicy Never (or OnFailure once restartMaxRetries is reached) keeps a failed container exited; berth restart NAME starts it again',
      );
    else if (!result.ok)
      lines.push(
        'hint: fix the cause above and apply again; berth status shows every object and why',
      );
  }
  return lines.join('\n') + '\n';
}

/** The summary's lines on the updates a timeout cut short and berth undid, if any. */
export function undoLines(undone: UndoResult | undefined): string {
  const lines = undone ? undoText(undone) : [];
  return lines.map((l) => `${l}\n`).join('');
}
