import { Writable } from 'node:stream';
import pino, { type Logger, type LevelWithSilent } from 'pino';

export type { Logger };

const LEVEL_NAMES: Record<number, string> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
  60: 'fatal',
};

/**
 * pino JSON lines on stderr when it is not a terminal (for log shippers), short readable
 * lines when it is (for people). Both carry the same fields.
 */
export function createLogger(
  level: LevelWithSilent,
  stderr: NodeJS.WriteStream = process.stderr,
): Logger {
  if (!stderr.isTTY) return pino({ level, base: undefined }, stderr);
  return pino({ level, base: undefined }, readableStream(stderr));
}

function readableStream(out: NodeJS.WriteStream): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line) out.write(formatReadable(line) + '\n');
      }
      done();
    },
  });
}

/** `12:00:01 info  Container/web started (cause)` plus any extra fields as k=v. */
export function formatReadable(jsonLine: string): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(jsonLine) as Record<string, unknown>;
  } catch {
    return jsonLine;
  }
  const { level, time, msg, ...rest } = record;
  const when = typeof time === 'number' ? new Date(time).toISOString().slice(11, 19) : '';
  const name = LEVEL_NAMES[level as number] ?? String(level);
  const extra = Object.entries(rest)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
  return `${when} ${name.padEnd(5)} ${String(msg ?? '')}${extra ? '  ' + extra : ''}`;
}
