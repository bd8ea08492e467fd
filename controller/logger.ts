import { createRequire } from 'node:module';
import { Writable } from 'node:stream';
import type { Logger, LevelWithSilent, pino as Pino } from 'pino';

export type { Logger };

const LEVEL_NAMES: Record<number, string> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
  60: 'fatal',
};

const LEVEL_VALUES: Record<string, number> = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
  silent: Infinity,
};

/**
 * pino JSON lines on stderr when it is not a terminal (for log shippers), short readable
 * lines when it is (for people). Both carry the same fields. pino (and its streams, about a
 * third of the CLI's start-up code) loads on the first line that is actually written, so a
 * command that logs nothing (status, get) never loads it; calls below the level are no-ops.
 */
export function createLogger(
  level: LevelWithSilent,
  stderr: NodeJS.WriteStream = process.stderr,
): Logger {
  let real: Logger | undefined;
  const load = (): Logger => (real ??= pinoLogger(level, stderr));
  const threshold = LEVEL_VALUES[level] ?? LEVEL_VALUES.info!;
  const noop = () => undefined;
  return new Proxy({} as Logger, {
    get(_target, prop) {
      if (!real && typeof prop === 'string') {
        const value = LEVEL_VALUES[prop];
        if (value !== undefined && prop !== 'silent' && value < threshold) return noop;
        if (prop === 'level') return level;
        if (prop === 'isLevelEnabled') return (l: string) => (LEVEL_VALUES[l] ?? 0) >= threshold;
      }
      const logger = load();
      const value = Reflect.get(logger, prop, logger) as unknown;
      return typeof value === 'function'
        ? (value as (...a: unknown[]) => unknown).bind(logger)
        : value;
    },
    set(_target, prop, value) {
      return Reflect.set(load(), prop, value);
    },
  });
}

function pinoLogger(level: LevelWithSilent, stderr: NodeJS.WriteStream): Logger {
  // Loaded synchronously on first use, from node_modules (not bundled into the CLI's start).
  const pino = createRequire(import.meta.url)('pino') as typeof Pino;
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
