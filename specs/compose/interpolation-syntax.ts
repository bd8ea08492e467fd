import { ComposeInputError, isRecord, whereKey } from './located.js';
import type { Where } from './located.js';
import { mayInterpolate, parseTemplate } from '../interpolate/template.js';

/** The parts of a Compose file docker compose interpolates (and so refuses bad `${…}` in). */
const INTERPOLATED = ['name', 'services', 'networks', 'volumes', 'secrets', 'configs'];

/**
 * Throws ComposeInputError (E_INTERPOLATION) at the first string of one Compose file that
 * is not valid interpolation syntax (`${UNCLOSED`, `${1BAD}`): docker compose refuses the
 * file ("Invalid interpolation format"), and import, which keeps `${…}` as written, wrote
 * output that only `validate` refused, at the output's position (F263). Same grammar as
 * berth's own interpolation (interpolate/template.ts).
 */
export function checkInterpolationSyntax(tree: Record<string, unknown>, shown: string): void {
  const fallback = { file: shown, line: 1, column: 1 };
  for (const key of INTERPOLATED)
    if (key in tree) walk(tree[key], key, whereKey(tree, key) ?? fallback);
}

/**
 * Coolify's `content:` of a bind entry (`services.X.volumes[i].content`) is written to the
 * file as it stands, never interpolated (coolify.ts): `${env:X}` there is the app's own syntax.
 */
const VERBATIM = /^services\.[^.]+\.volumes\[\d+\]\.content$/;

function walk(value: unknown, path: string, where: Where): void {
  if (VERBATIM.test(path)) return;
  if (typeof value === 'string') return checkText(value, path, where);
  if (Array.isArray(value))
    value.forEach((item, i) => walk(item, `${path}[${i}]`, whereKey(value, i) ?? where));
  else if (isRecord(value))
    for (const [k, v] of Object.entries(value))
      walk(v, `${path}.${k}`, whereKey(value, k) ?? where);
}

function checkText(text: string, path: string, where: Where): void {
  if (!mayInterpolate(text)) return;
  const parsed = parseTemplate(text);
  if (!Array.isArray(parsed))
    throw new ComposeInputError(where, `${path}: ${parsed.message}`, 'E_INTERPOLATION');
}
