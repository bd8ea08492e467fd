import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'dotenv';
import { interpolate } from './resolve.js';
import type { InterpolationError } from './resolve.js';

/** Why a `.env` file cannot be used, at a place in it (1-based). */
export interface EnvFileError {
  line: number;
  column: number;
  /** E_ENV_FILE: not NAME=VALUE, or a quote never closed; the others: a value's `${…}`. */
  code: 'E_ENV_FILE' | 'E_UNSET_VAR' | 'E_INTERPOLATION';
  message: string;
}

/**
 * The file's variables, or why it cannot be used. After a value whose `${…}` does not
 * resolve, `partial` holds the other values, so one bad value does not also leave every
 * other variable of the file unset.
 */
export type EnvFileResult =
  | { variables: Record<string, string>; blanked?: EnvFileError[] }
  | { error: EnvFileError; partial?: Record<string, string> };

/** Where `${VAR}` in a value looks, as Compose v2 does (compose-go dotenv, `expandVariables`). */
export interface EnvFileOptions {
  /**
   * Looked up first: the process environment for `.env` and `--env-file` (compose-go
   * `GetEnvFromFile`), the project's variables for a container's `envFiles` (compose-go
   * `WithServicesEnvironmentResolved`). Returns undefined when unset.
   */
  lookup?: ((name: string) => string | undefined) | undefined;
  /** Variables of the files read before this one (later files win); looked up with the file's own earlier lines. */
  earlier?: Readonly<Record<string, string>> | undefined;
  /**
   * For best-effort readers (the project name, `COMPOSE_FILE`): a value whose `${…}` does
   * not resolve is kept as written instead of failing the file; whoever uses the values
   * for the manifests reads the file strictly and reports it.
   */
  lenient?: boolean | undefined;
  /**
   * A container's env file (Compose's `env_file`): a `${VAR}` whose VAR is unset becomes
   * "", as docker compose makes it (F188), and is named in `blanked` (at its line and
   * column) for a warning; `${VAR?message}` stays an error.
   */
  blankUnset?: boolean | undefined;
}

/** `NAME=value`, `export NAME=value` or `NAME: value`, the forms dotenv reads. */
const ASSIGNMENT = /^\s*(?:export\s+)?([\w.-]+)(?:\s*=|:\s|:$)\s*(.*)$/;
const QUOTES = new Set(['"', "'", '`']);
/**
 * `NAME` alone (F178): Compose's env_file and `.env` take its value from the environment
 * (compose-go dotenv: an inherited key, looked up; `docker run --env-file` does the same),
 * and leave it out when that has none.
 */
const INHERITED = /^\s*(?:export\s+)?([A-Za-z_][\w.-]*)\s*$/;

/** One `NAME=value` statement: its lines in the file and how its value is written. */
interface Statement {
  name: string;
  /** 0-based index of its first line. */
  line: number;
  /** 0-based column where the value starts on that line. */
  valueColumn: number;
  /** The statement's text (several lines for a quoted value that spans lines). */
  text: string;
  /** The value's opening quote, '' for an unquoted value. */
  quote: string;
  /** The value as the file gives it, quotes removed, before interpolation. */
  raw: string;
  /** A `NAME` line without a value: the value comes from `options.lookup`, if any. */
  inherited?: true;
}

/**
 * Parses the text of a `.env` file as Compose v2 reads it, with dotenv for quoted values,
 * after checking every line: dotenv skips lines it cannot read without a word, which
 * would turn a typo into an unset variable. Quoted values may span lines, as dotenv
 * allows. Unquoted values follow Compose: a `#` begins a comment only after whitespace.
 *
 * Unquoted and double-quoted values are interpolated with berth's Compose grammar
 * (`${VAR}`, `${VAR:-default}`, `${VAR:?message}`, `$$` …; template.ts) from
 * `options.lookup` first, then from earlier files and the file's earlier lines (Compose
 * docs "Use an environment file", "Parameter expansion"); single-quoted (and backquoted)
 * values are literal. As everywhere in berth (DESIGN.md "Variables"), a variable that is
 * unset and has no default is an error, `E_UNSET_VAR` at its line and column.
 */
export function parseEnvFile(text: string, options: EnvFileOptions = {}): EnvFileResult {
  const statements = readStatements(text);
  if ('error' in statements) return statements;
  const variables: Record<string, string> = {};
  const earlier = options.earlier ?? {};
  const lookup = (name: string): string | undefined =>
    options.lookup?.(name) ??
    (Object.hasOwn(variables, name)
      ? variables[name]
      : Object.hasOwn(earlier, name)
        ? earlier[name]
        : undefined);
  let error: EnvFileError | undefined;
  const blanked: EnvFileError[] = [];
  for (const statement of statements.list) {
    if (statement.inherited) {
      const value = options.lookup?.(statement.name);
      if (value !== undefined) variables[statement.name] = value;
      continue;
    }
    if (statement.quote === "'" || statement.quote === '`') {
      variables[statement.name] = statement.raw;
      continue;
    }
    const blank = options.blankUnset
      ? (unset: InterpolationError) => blanked.push(blankedAt(statement, unset))
      : undefined;
    const resolved = interpolate(statement.raw, lookup, blank);
    if ('value' in resolved) variables[statement.name] = resolved.value;
    else if (options.lenient) variables[statement.name] = statement.raw;
    else error ??= valueError(statement, resolved.error);
  }
  if (error) return { error, partial: variables };
  return blanked.length ? { variables, blanked } : { variables };
}

/** Where an unset `${VAR}` was left blank, and the warning's words (F188). */
function blankedAt(statement: Statement, unset: InterpolationError): EnvFileError {
  const { line, column } = valueError(statement, unset);
  const message = `${unset.message} (in the value of ${statement.name}): it is left blank, as docker compose leaves it`;
  return { line, column, code: 'E_UNSET_VAR', message };
}

function readStatements(text: string): { list: Statement[] } | { error: EnvFileError } {
  const lines = text.split(/\r?\n/);
  const list: Statement[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i] ?? '';
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const inherited = INHERITED.exec(line);
    if (inherited) {
      const name = inherited[1] ?? '';
      list.push({ name, line: i, valueColumn: line.length, text: line, quote: '', raw: '' });
      list[list.length - 1]!.inherited = true;
      continue;
    }
    const match = ASSIGNMENT.exec(line);
    if (!match) return { error: lineError(i, NOT_ASSIGNMENT) };
    // A NUL cannot be in an environment value (the engine refuses it at start, echoing the
    // value); a file with one is no env file (/proc/self/environ is berth's own environment).
    if (line.includes('\u0000'))
      return { error: lineError(i, 'holds a NUL character: this is no env file') };
    const name = match[1] ?? '';
    const value = match[2] ?? '';
    const valueColumn = line.length - value.length;
    const quote = value[0] ?? '';
    if (!QUOTES.has(quote)) {
      list.push({ name, line: i, valueColumn, text: line, quote: '', raw: unquotedValue(value) });
      continue;
    }
    let end = i;
    if (!closes(value.slice(1), quote)) {
      end = lines.findIndex((next, j) => j > i && closes(next, quote));
      if (end < 0) {
        const message = `the value opened with ${quote} is never closed; add the closing ${quote}`;
        return { error: lineError(i, message) };
      }
    }
    const statement = lines.slice(i, end + 1).join('\n');
    list.push({ name, line: i, valueColumn, text: statement, quote, raw: quotedValue(statement) });
    i = end;
  }
  return { list };
}

/** A quoted value as dotenv reads it (`\n` in double quotes is a newline). */
function quotedValue(statement: string): string {
  return Object.values(parse(statement))[0] ?? '';
}

/**
 * An unquoted value as Compose reads it: a `#` starts a comment only after whitespace, so
 * `PASSWORD=abc#def` keeps `abc#def` (dotenv alone cuts it to `abc`, silently).
 */
function unquotedValue(value: string): string {
  const comment = value.search(/\s#/);
  return (comment < 0 ? value : value.slice(0, comment)).trim();
}

function closes(rest: string, quote: string): boolean {
  for (let i = 0; i < rest.length; i += 1) {
    if (rest[i] === '\\') i += 1;
    else if (rest[i] === quote) return true;
  }
  return false;
}

function lineError(index: number, message: string): EnvFileError {
  return { line: index + 1, column: 1, code: 'E_ENV_FILE', message };
}

/** The error of a value's `${…}`, placed at the expression in the file (else at the value). */
function valueError(statement: Statement, error: InterpolationError): EnvFileError {
  const expression = error.expression.split('\n')[0] ?? '';
  const found = expression === '' ? -1 : statement.text.indexOf(expression, statement.valueColumn);
  const offset = found < 0 ? statement.valueColumn : found;
  const before = statement.text.slice(0, offset).split('\n');
  const line = statement.line + before.length;
  const column = (before[before.length - 1] ?? '').length + 1;
  const hint =
    error.code === 'E_UNSET_VAR'
      ? '; set it, give a default (${VAR:-default}), or write $$ or single-quote the value for a literal $'
      : '';
  return {
    line,
    column,
    code: error.code,
    message: `${error.message} (in the value of ${statement.name})${hint}`,
  };
}

/**
 * The line itself is never shown: a file that is not an env file (a password file, a
 * credentials file named by mistake or on purpose) may hold a secret on any line (F103).
 */
const NOT_ASSIGNMENT =
  'is not NAME=VALUE (a name of letters, digits, _ . -, then =; the line is not shown, as it may hold a secret)';

/**
 * The variables of an env file such as `.env`, read synchronously and leniently
 * (`EnvFileOptions.lenient`), `${VAR}` looked up in `env` first; `{}` when the file is
 * missing or does not parse (whoever uses the values for the manifests reports that).
 */
export function readEnvFileQuietly(
  path: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Record<string, string> {
  if (!existsSync(path)) return {};
  const parsed = parseEnvFile(readFileSync(path, 'utf8'), {
    lookup: (name) => env[name],
    lenient: true,
  });
  return 'variables' in parsed ? parsed.variables : {};
}
