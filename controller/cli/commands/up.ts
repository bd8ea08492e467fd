import type { CliContext } from '../context.js';
import { run as apply } from './apply.js';

type ApplyOptions = Parameters<typeof apply>[1];

/** `berth up`: `apply --attach`, like `docker compose up` without -d; `-f` defaults to the current folder. */
export function run(
  ctx: CliContext,
  options: Omit<ApplyOptions, 'filename'> & { filename?: string[] },
): Promise<number> {
  return apply(ctx, { ...options, filename: options.filename ?? ['.'], attach: true });
}
