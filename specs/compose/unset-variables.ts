import { join } from 'node:path';
import { readEnvFileQuietly } from '../interpolate/env-file.js';
import { parseTemplate } from '../interpolate/template.js';
import type { TemplatePart } from '../interpolate/template.js';
import type { ComposeProject } from './load.js';
import { whereKey, whereNode } from './located.js';
import type { Where } from './located.js';
import type { ImportWarning } from './state.js';
import { contentEntries } from './coolify.js';

/**
 * `${VAR}` and `$VAR` (no default) whose VAR is set neither in `env` nor in the project's
 * `.env`: docker compose warns `The "VAR" variable is not set. Defaulting to a blank
 * string.` and goes on; import keeps `${VAR}` as written (berth resolves it at apply), so
 * it warns the same way, once per variable, at the first place (file order) that uses it.
 * Operands are looked into only where Compose evaluates them (`${A:-$B}` needs B only
 * when A is unset or empty). Keys are never interpolated; `$$` is a literal `$`.
 */
export function unsetVariableWarnings(
  project: ComposeProject,
  env: Readonly<Record<string, string | undefined>>,
): ImportWarning[] {
  const lookup = projectVariables(project, env);
  const found: (UnsetName & { where: Where })[] = [];
  const sections = [
    project.services,
    project.networks,
    project.volumes,
    project.secrets,
    project.configs,
  ];
  // Coolify's `content:` is written verbatim (coolify.ts): its `$VAR` is read in the container.
  const verbatim = new Set<unknown>(contentEntries(project.services));
  for (const tree of sections)
    walk(
      tree,
      undefined,
      (text, where) => {
        const parts = parseTemplate(text);
        if (!Array.isArray(parts)) return;
        for (const unset of unsetNames(parts, lookup)) found.push({ ...unset, where });
      },
      (parent, key) => key === 'content' && verbatim.has(parent),
    );
  const seen = new Set<string>();
  return found
    .sort((a, b) => compareWhere(a.where, b.where))
    .filter(({ name, required }) => {
      const key = `${required === undefined ? '' : '?'}${name}`;
      return !seen.has(key) && seen.add(key);
    })
    .map(({ name, required, where }) => ({
      where,
      message:
        required === undefined
          ? `The "${name}" variable is not set. Defaulting to a blank string.`
          : requiredMessage(name, required),
    }));
}

/**
 * compose-go's refusal of an unset `${VAR:?reason}` (template.go: "required variable VAR is
 * missing a value: reason"); import keeps the template as written, so the project is refused
 * until VAR is set — docker compose up's and berth validate's alike (E_UNSET_VAR).
 */
function requiredMessage(name: string, reason: string): string {
  return (
    `required variable ${name} is missing a value${reason ? `: ${reason}` : ''} ` +
    `(docker compose refuses the project until it is set; so do berth validate and apply: ` +
    `set it in the environment or in the output's .env)`
  );
}

/** The variables Compose interpolates with: the environment, then the project's `.env`. */
export function projectVariables(
  project: Pick<ComposeProject, 'dir'>,
  env: Readonly<Record<string, string | undefined>>,
): (name: string) => string | undefined {
  const dotenv = readEnvFileQuietly(join(project.dir, '.env'), env);
  return (name) => env[name] ?? (Object.hasOwn(dotenv, name) ? dotenv[name] : undefined);
}

/**
 * Calls `visit` for every string value below `tree`, with the position of its key or item,
 * but for those below a key `skip` names.
 */
function walk(
  tree: unknown,
  at: Where | undefined,
  visit: (text: string, where: Where) => void,
  skip: (parent: object, key: string | number) => boolean,
): void {
  if (typeof tree === 'string') {
    if (at && tree.includes('$')) visit(tree, at);
    return;
  }
  if (typeof tree !== 'object' || tree === null) return;
  const entries: [string | number, unknown][] = Array.isArray(tree)
    ? tree.map((v, i) => [i, v])
    : Object.entries(tree as Record<string, unknown>);
  for (const [key, value] of entries)
    if (!skip(tree, key)) walk(value, whereKey(tree, key) ?? whereNode(tree) ?? at, visit, skip);
}

/** An unset variable without a default; `required` is the reason of a `${VAR:?reason}`. */
interface UnsetName {
  name: string;
  required?: string;
}

/**
 * The variables a template reads as Compose evaluates it that are unset and have no default,
 * and those a `${VAR:?reason}` / `${VAR?reason}` requires and that are missing.
 */
function unsetNames(
  parts: TemplatePart[],
  lookup: (name: string) => string | undefined,
): UnsetName[] {
  const names: UnsetName[] = [];
  for (const part of parts) {
    if (part.kind !== 'variable') continue;
    const value = lookup(part.name);
    const set = value !== undefined;
    const nonEmpty = set && value !== '';
    const operandUsed =
      (part.operator === ':-' && !nonEmpty) ||
      (part.operator === '-' && !set) ||
      (part.operator === ':+' && nonEmpty) ||
      (part.operator === '+' && set);
    const missing = (part.operator === ':?' && !nonEmpty) || (part.operator === '?' && !set);
    if (part.operator === undefined && !set) names.push({ name: part.name });
    if (missing) names.push({ name: part.name, required: operandText(part.operand ?? []) });
    if (operandUsed) names.push(...unsetNames(part.operand ?? [], lookup));
  }
  return names;
}

/** A `${VAR:?reason}`'s reason as written (its variables as `${NAME}`). */
function operandText(parts: TemplatePart[]): string {
  return parts.map((p) => (p.kind === 'text' ? p.text : `\${${p.name}}`)).join('');
}

function compareWhere(a: Where, b: Where): number {
  return a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column;
}
