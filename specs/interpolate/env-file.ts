import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'dotenv';

/** A line of a `.env` file that is not `NAME=VALUE`, a comment or blank. */
export interface EnvFileError {
  /** 1-based. */
  line: number;
  message: string;
}

export type EnvFileResult = { variables: Record<string, string> } | { error: EnvFileError };

/** `NAME=value`, `export NAME=value` or `NAME: value`, the forms dotenv reads. */
const ASSIGNMENT = /^\s*(?:export\s+)?([\w.-]+)(?:\s*=|:\s|:$)\s*(.*)$/;
const QUOTES = new Set(['"', "'", '`']);

/**
 * Parses the text of a `.env` file with dotenv, after checking every line: dotenv skips
 * lines it cannot read without a word, which would turn a typo into an unset variable.
 * Quoted values may span lines, as dotenv allows. Unquoted values follow Compose: a `#`
 * begins a comment only after whitespace (unquotedValue).
 */
export function parseEnvFile(text: string): EnvFileResult {
  const lines = text.split(/\r?\n/);
  const unquoted = new Map<string, string>();
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i] ?? '';
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const match = ASSIGNMENT.exec(line);
    if (!match) return { error: { line: i + 1, message: notAssignment(trimmed) } };
    const value = match[2] ?? '';
    const quote = value[0] ?? '';
    if (!QUOTES.has(quote)) {
      unquoted.set(match[1] ?? '', unquotedValue(value));
      continue;
    }
    unquoted.delete(match[1] ?? '');
    if (closes(value.slice(1), quote)) continue;
    const end = lines.findIndex((next, j) => j > i && closes(next, quote));
    if (end < 0) {
      const message = `the value opened with ${quote} is never closed; add the closing ${quote}`;
      return { error: { line: i + 1, message } };
    }
    i = end;
  }
  const variables = parse(text);
  for (const [name, value] of unquoted) variables[name] = value;
  return { variables };
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

function notAssignment(line: string): string {
  const shown = line.length > 40 ? `${line.slice(0, 37)}...` : line;
  return `${JSON.stringify(shown)} is not NAME=VALUE (a name of letters, digits, _ . -, then =)`;
}

/**
 * The variables of an env file such as `.env`, read synchronously; `{}` when the file is
 * missing or does not parse (whoever uses the values for the manifests reports that).
 */
export function readEnvFileQuietly(path: string): Record<string, string> {
  if (!existsSync(path)) return {};
  const parsed = parseEnvFile(readFileSync(path, 'utf8'));
  return 'variables' in parsed ? parsed.variables : {};
}
