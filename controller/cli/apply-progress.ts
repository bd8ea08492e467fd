import type { ProgressEvent } from '../executor/execute.js';
import type { CliContext } from './context.js';
import { visibleText } from '../../specs/visible-text.js';

const MARK: Partial<Record<ProgressEvent['phase'], string>> = {
  converged: '✓',
  held: '•',
  failed: '✗',
  skipped: '-',
};

/**
 * Progress per object. On a terminal: a short line per step and a marked line when an
 * object is done. Otherwise: one pino log line per step, for log collectors.
 */
export function progressReporter(ctx: CliContext, width: number): (event: ProgressEvent) => void {
  if (!ctx.stderr.isTTY) {
    return (e) => {
      if (e.phase === 'op') ctx.logger.info({ object: e.key, op: e.op }, `${e.key} ${e.op}`);
      else if (e.phase === 'failed' || e.phase === 'skipped')
        ctx.logger.error({ object: e.key, reason: e.message }, `${e.key} ${e.phase}`);
      else if (e.phase === 'converged' || e.phase === 'held')
        ctx.logger.info({ object: e.key, outcome: e.phase }, `${e.key} ${e.phase}`);
    };
  }
  const paint = (code: string, s: string) => (ctx.color ? `\x1b[${code}m${s}\x1b[0m` : s);
  return (e) => {
    const key = e.key.padEnd(width);
    if (e.phase === 'op') ctx.stderr.write(`  ${paint('2', '…')} ${key}  ${e.op}\n`);
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
