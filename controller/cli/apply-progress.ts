import type { ProgressEvent } from '../executor/execute.js';
import type { CliContext } from './context.js';
import { visibleText } from '../../specs/visible-text.js';
import { isKeptInUse, keptInUseText } from './kept-in-use.js';

const MARK: Partial<Record<ProgressEvent['phase'], string>> = {
  converged: '✓',
  held: '•',
  failed: '✗',
  skipped: '-',
};

export interface ReporterOptions {
  /**
   * `delete`/`down`: a removal refused because containers use the object ends `kept`
   * (a warning, as the command reports it), not `failed` at error level (F471).
   */
  keepInUse?: boolean;
}

/**
 * Progress per object. On a terminal: a short line per step and a marked line when an
 * object is done. Otherwise: one pino log line per step, for log collectors.
 */
export function progressReporter(
  ctx: CliContext,
  width: number,
  options: ReporterOptions = {},
): (event: ProgressEvent) => void {
  const kept = (e: ProgressEvent) =>
    options.keepInUse === true &&
    isKeptInUse({ key: e.key, outcome: e.phase, ...(e.inUseBy ? { inUseBy: e.inUseBy } : {}) });
  if (!ctx.stderr.isTTY) {
    return (e) => {
      if (kept(e)) {
        const text = keptInUseText(e.inUseBy ?? []);
        ctx.logger.warn({ object: e.key, outcome: 'kept', usedBy: e.inUseBy }, `${e.key} ${text}`);
      } else if (e.phase === 'op') ctx.logger.info({ object: e.key, op: e.op }, `${e.key} ${e.op}`);
      else if (e.phase === 'failed' || e.phase === 'skipped')
        ctx.logger.error({ object: e.key, reason: e.message }, `${e.key} ${e.phase}`);
      else if (e.phase === 'converged' || e.phase === 'held')
        ctx.logger.info(
          { object: e.key, outcome: e.phase, ...(e.message ? { reason: e.message } : {}) },
          `${e.key} ${e.phase}`,
        );
    };
  }
  const paint = (code: string, s: string) => (ctx.color ? `\x1b[${code}m${s}\x1b[0m` : s);
  return (e) => {
    const key = e.key.padEnd(width);
    if (kept(e))
      ctx.stderr.write(
        `  ${paint('33', MARK.held as string)} ${key}  ${keptInUseText(e.inUseBy ?? [])}\n`,
      );
    else if (e.phase === 'op') ctx.stderr.write(`  ${paint('2', '…')} ${key}  ${e.op}\n`);
    else if (e.phase === 'waiting')
      ctx.stderr.write(
        `  ${paint('2', '⋯')} ${key}  waiting for ${visibleText(e.message ?? '')}\n`,
      );
    else if (MARK[e.phase]) {
      const colour = e.phase === 'failed' ? '31' : e.phase === 'converged' ? '32' : '33';
      const detail = e.message ? `  ${visibleText(e.message)}` : '';
      ctx.stderr.write(`  ${paint(colour, MARK[e.phase] as string)} ${key}  ${e.phase}${detail}\n`);
    }
  };
}
