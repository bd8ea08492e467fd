import type { CliContext } from '../context.js';
import { sortKeys } from './sort-keys.js';

/** Pretty JSON with sorted keys and a final newline. */
export function toStableJson(value: unknown): string {
  return JSON.stringify(sortKeys(value), null, 2) + '\n';
}

/**
 * Writes `value` as stable JSON/YAML, or `text()` for the human formats. The YAML writer is
 * loaded only for `-o yaml`: status, get and history start without the yaml package.
 */
export async function writeOutput(
  ctx: CliContext,
  format: string | undefined,
  value: unknown,
  text: () => string,
): Promise<void> {
  if (format === 'json') ctx.stdout.write(toStableJson(value));
  else if (format === 'yaml') {
    const { toStableYaml } = await import('./stable-yaml.js');
    ctx.stdout.write(toStableYaml(value));
  } else ctx.stdout.write(text());
}
