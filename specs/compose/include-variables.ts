import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseEnvFile } from '../interpolate/env-file.js';
import { interpolate } from '../interpolate/resolve.js';
import { parseTemplate } from '../interpolate/template.js';
import type { TemplatePart, VariablePart } from '../interpolate/template.js';
import type { ComposeProject } from './load.js';
import { ComposeInputError, whereKey, whereNode } from './located.js';
import type { Where } from './located.js';
import type { ImportWarning } from './state.js';

/** A variable an included project's env file sets, written into the output's `.env`. */
export interface CarriedVariable {
  name: string;
  value: string;
  /** The env file it comes from, as shown (relative to cwd). */
  from: string;
}

/** What the variables of included files need: `.env` lines, and what was written as a value. */
export interface IncludedVariables {
  carried: CarriedVariable[];
  warnings: ImportWarning[];
}

type Env = Readonly<Record<string, string | undefined>>;
type ScopeVariables = Map<string, { value: string; from: string }>;

/** One use of a variable in a string value of the model, and what its include scope sets. */
interface Use {
  name: string;
  scoped: { value: string; from: string } | undefined;
  parent: Record<string, unknown> | unknown[];
  key: string | number;
  where: Where;
}

/**
 * `${VAR}` in an included Compose file resolves as docker compose resolves it (F149; compose
 * spec `include`, compose-go `ApplyInclude`): the including project's environment (the
 * process environment and its `.env`) first, then the included project's `env_file` list or,
 * by default, the `.env` in its project directory — an outer include's files before an inner
 * one's. Import keeps `${VAR}` as written and berth resolves it at apply from the output's
 * `.env` (a copy of the main project's) and the environment, so a variable only an included
 * env file sets would be unset there. Such a variable is carried into the output's `.env`
 * when every use of it in the model resolves to that same value (then the environment still
 * overrides it, as in Compose). When uses disagree (another file reads the variable unset or
 * from another env file), the included file's uses are written as their value and named as
 * a warning. Mutates the string values of `project` in that case.
 */
export function carryIncludedVariables(
  project: ComposeProject,
  env: Env,
  cwd: string,
): IncludedVariables {
  if (project.includeScopes.size === 0) return { carried: [], warnings: [] };
  const mainDotEnv = readEnv(join(project.dir, '.env'), (name) => env[name], {});
  const scopes = new Map<string[][], ScopeVariables>();
  const scopeOf = (file: string): ScopeVariables | undefined => {
    const levels = project.includeScopes.get(file);
    if (levels === undefined) return undefined;
    if (!scopes.has(levels)) scopes.set(levels, scopeVariables(levels, env, mainDotEnv, cwd));
    return scopes.get(levels);
  };
  const uses = new Map<string, Use[]>();
  for (const section of SECTIONS)
    walkStrings(project[section], undefined, (text, parent, key, where) => {
      for (const name of new Set(variableNames(text))) {
        if (Object.hasOwn(mainDotEnv, name)) continue;
        const use = { name, scoped: scopeOf(where.file)?.get(name), parent, key, where };
        uses.set(name, [...(uses.get(name) ?? []), use]);
      }
    });
  const result: IncludedVariables = { carried: [], warnings: [] };
  for (const [name, list] of uses) decide(name, list, mainDotEnv, result);
  return result;
}

const SECTIONS = ['services', 'networks', 'volumes', 'secrets', 'configs'] as const;

/** Carries `name` into `.env` when all its uses agree; otherwise writes the scoped ones as values. */
function decide(
  name: string,
  list: Use[],
  mainDotEnv: Readonly<Record<string, string>>,
  result: IncludedVariables,
): void {
  const scoped = list.filter((u) => u.scoped !== undefined);
  const first = scoped[0]?.scoped;
  if (first === undefined) return;
  const agree = list.every((u) => u.scoped?.value === first.value);
  // The output's .env names the project in COMPOSE_PROJECT_NAME (dot-env.ts); Compose's own
  // variables of an included project are not the including project's.
  const own = !name.startsWith('COMPOSE_');
  if (agree && own && dotEnvWritable(first.value)) {
    result.carried.push({ name, value: first.value, from: first.from });
    return;
  }
  const why = !agree
    ? 'another file reads the variable with another value, and the .env beside the manifests holds one value'
    : own
      ? 'the value (with a quote or a line break) cannot be written into .env'
      : `the .env beside the manifests sets Compose's ${name} for the including project`;
  const warned = new Set<string>();
  for (const use of scoped) {
    const lookup = (n: string) =>
      Object.hasOwn(mainDotEnv, n) ? mainDotEnv[n] : n === name ? use.scoped?.value : undefined;
    if (!writeAsValue(use, lookup) || warned.has(use.where.file)) continue;
    warned.add(use.where.file);
    result.warnings.push({
      where: use.where,
      message:
        `\${${name}} is written as its value from ${use.scoped?.from}, the env file of the ` +
        `included project: ${why} (setting ${name} when applying does not change it here)`,
    });
  }
}

/** A value `.env` can hold as written: unquoted when plain, single-quoted otherwise. */
function dotEnvWritable(value: string): boolean {
  return !value.includes("'") && !/[\r\n]/.test(value);
}

/** `NAME=value` for the output's `.env`, read back by berth as the same value. */
export function dotEnvLine(name: string, value: string): string {
  return /^[\w.,:/@+=%-]*$/.test(value) ? `${name}=${value}` : `${name}='${value}'`;
}

/**
 * Replaces each use of `use.name` in the string at `use.parent[use.key]` by its value
 * (with `$` written `$$`). False when it cannot be resolved (left as written).
 */
function writeAsValue(use: Use, lookup: (name: string) => string | undefined): boolean {
  const text = use.parent[use.key as keyof typeof use.parent] as unknown as string;
  const parts = parseTemplate(text);
  if (!Array.isArray(parts)) return false;
  let out = text;
  for (const part of outermost(parts, use.name).reverse()) {
    const resolved = interpolate(text.slice(part.start, part.end), lookup);
    if (!('value' in resolved)) return false;
    out = out.slice(0, part.start) + resolved.value.replaceAll('$', '$$$$') + out.slice(part.end);
  }
  (use.parent as Record<string, unknown>)[use.key] = out;
  return true;
}

/** The parts naming `name` that are not inside another part naming it, in order. */
function outermost(parts: TemplatePart[], name: string): VariablePart[] {
  const found: VariablePart[] = [];
  for (const part of parts) {
    if (part.kind !== 'variable') continue;
    if (part.name === name) found.push(part);
    else found.push(...outermost(part.operand ?? [], name));
  }
  return found;
}

/** Every variable a string names, operands included. */
function variableNames(text: string): string[] {
  const parts = parseTemplate(text);
  if (!Array.isArray(parts)) return [];
  const names: string[] = [];
  const visit = (list: TemplatePart[]) => {
    for (const part of list)
      if (part.kind === 'variable') {
        names.push(part.name);
        visit(part.operand ?? []);
      }
  };
  visit(parts);
  return names;
}

/**
 * The variables the env files of an include scope set, outer include first: an outer
 * include's value wins over an inner one's (each included model is interpolated with its
 * includer's variables, its own files only filling in what is unset); within one include's
 * `env_file` list, later files win. Values are interpolated from the environment, the main
 * `.env` and the outer files first (compose-go `GetEnvFromFile`).
 */
function scopeVariables(
  levels: string[][],
  env: Env,
  mainDotEnv: Readonly<Record<string, string>>,
  cwd: string,
): ScopeVariables {
  const scope: ScopeVariables = new Map();
  for (const files of levels) {
    const level: Record<string, { value: string; from: string }> = {};
    const values = (): Record<string, string> =>
      Object.fromEntries(Object.entries(level).map(([k, v]) => [k, v.value]));
    for (const file of files) {
      const outer = (name: string) => env[name] ?? mainDotEnv[name] ?? scope.get(name)?.value;
      const shown = relative(cwd, file) || file;
      const read = readEnv(file, outer, values(), shown);
      for (const [name, value] of Object.entries(read)) level[name] = { value, from: shown };
    }
    for (const [name, entry] of Object.entries(level)) if (!scope.has(name)) scope.set(name, entry);
  }
  return scope;
}

/**
 * The variables of an env file, `{}` when it is missing. With `shown` (an included project's
 * file), a line that is not NAME=VALUE refuses the import at its place, as docker compose
 * refuses it; the main `.env` is read quietly, as everywhere in import.
 */
function readEnv(
  file: string,
  lookup: (name: string) => string | undefined,
  earlier: Readonly<Record<string, string>>,
  shown?: string,
): Record<string, string> {
  if (!existsSync(file)) return {};
  const parsed = parseEnvFile(readFileSync(file, 'utf8'), { lookup, earlier, lenient: true });
  if ('variables' in parsed) return parsed.variables;
  if (shown === undefined) return {};
  const { line, column, message } = parsed.error;
  throw new ComposeInputError(
    { file: shown, line, column },
    `${message} [an included project's env file]`,
  );
}

/** Calls `visit` for every string value holding `$` below `tree`, with its parent, key and place. */
function walkStrings(
  tree: unknown,
  at: Where | undefined,
  visit: (
    text: string,
    parent: Record<string, unknown> | unknown[],
    key: string | number,
    where: Where,
  ) => void,
): void {
  if (typeof tree !== 'object' || tree === null) return;
  const parent = tree as Record<string, unknown> | unknown[];
  const keys: (string | number)[] = Array.isArray(parent)
    ? parent.map((_, i) => i)
    : Object.keys(parent);
  for (const key of keys) {
    const value = (parent as Record<string | number, unknown>)[key];
    const where = whereKey(parent, key) ?? whereNode(parent) ?? at;
    if (typeof value === 'string') {
      if (where && value.includes('$')) visit(value, parent, key, where);
    } else walkStrings(value, where, visit);
  }
}
