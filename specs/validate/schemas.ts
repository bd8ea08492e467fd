import type { Validators } from './schema-compiler.js';
import * as generated from './validators.generated.js';

export type { Validators } from './schema-compiler.js';

let compiled: Validators | undefined;

/**
 * The validators: ajv's standalone code generated from schemas/ at development time
 * (validators.generated.ts, checked by CI), so no process compiles a schema. Loaded on
 * first use and shared by the whole process.
 */
export function validators(): Validators {
  compiled ??= generated as unknown as Validators;
  return compiled;
}
