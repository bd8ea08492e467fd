import { ComposeInputError, whereKey } from './located.js';
import type { Where } from './located.js';
import { shellWordsProblem } from './values.js';

/**
 * Throws ComposeInputError when a string `command:` or `entrypoint:` of `svc` cannot be
 * split into words (an unterminated quote, a trailing backslash): docker compose refuses it
 * (F265), where import used to split it some other way and run a different command.
 */
export function checkCommandStrings(svc: Record<string, unknown>, name: string, at: Where): void {
  for (const key of ['command', 'entrypoint']) {
    const value = svc[key];
    const problem = typeof value === 'string' ? shellWordsProblem(value) : undefined;
    if (problem)
      throw new ComposeInputError(whereKey(svc, key) ?? at, `services.${name}.${key}: ${problem}`);
  }
}
