/**
 * Compose interpolation (DESIGN.md "Variables"), for the reader and for tools that keep
 * `${…}` as written but need to see it (`berth import`): parse, find, resolve, and the
 * sources of values (environment, `.env`, `--env-file`).
 */
export { interpolate } from './resolve.js';
export type { InterpolationError, InterpolationResult, VariableLookup } from './resolve.js';
export { mayInterpolate, parseTemplate, variablesIn } from './template.js';
export type { Operator, TemplatePart, TemplateSyntaxError, VariablePart } from './template.js';
export { parseEnvFile } from './env-file.js';
export { loadVariables } from './variables.js';
export type { VariableSources, Variables } from './variables.js';
