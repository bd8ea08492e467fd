import { visibleText } from './visible-text.js';
import type { SourcePosition } from './model.js';

/**
 * Stable codes for everything wrong with the desired side. Tests and users match on
 * these, so a code never changes meaning once released.
 */
export const PROBLEM_CODES = {
  E_IO: 'a file or folder could not be read',
  E_YAML_SYNTAX: 'YAML syntax error',
  E_YAML_DUPLICATE_KEY: 'a mapping has the same key twice',
  E_YAML_ALIAS:
    'an alias that cannot be expanded (unknown anchor, anchor in another document, alias bomb)',
  E_YAML_TAG: 'a YAML tag that is not plain YAML',
  E_FILE_TOO_LARGE: 'a manifest file is over the size limit',
  E_FILE_ENCODING: 'a manifest file is not UTF-8 text',
  E_SCHEMA: 'a value does not fit the schema',
  E_UNKNOWN_FIELD: 'a field the schema does not know',
  E_API_VERSION: 'unsupported apiVersion',
  E_KIND: 'unknown kind',
  E_NAME: 'metadata.name is not a DNS label',
  E_DUPLICATE_NAME: 'two objects of one kind share a name',
  E_REFERENCE: 'a reference names no declared object',
  E_CYCLE: 'dependsOn forms a cycle',
  E_DUPLICATE_PORT: 'two containers publish the same host port',
  E_DURATION: 'not a duration',
  E_QUANTITY: 'not a quantity',
  E_PORT: 'not a port mapping',
  E_CIDR: 'not a CIDR subnet or gateway address',
  E_POLICY: 'forbidden by policy',
  E_EXCLUSIVE: 'fields that cannot be used together',
  E_CAPABILITY: 'not a Linux capability',
  E_ADDRESS: 'not an IP or MAC address, or outside the network',
  E_SIGNAL: 'not a signal name',
  E_RANGE: 'a value outside its allowed range',
  E_ENGINE_API: "a field the engine's API version cannot carry",
  E_ENGINE_FIELD:
    'a field the connected engine cannot carry (drops or refuses), whatever its API version',
  E_ENGINE_UNASKED:
    'a field some engine cannot carry, on an engine that cannot be asked now (kept back until it answers)',
  E_EMPTY: 'no objects found',
  E_UNSET_VAR: 'a variable without a default is not set (or a ${VAR:?message} check failed)',
  E_INTERPOLATION: 'a ${...} expression that is not valid interpolation syntax',
  E_ENV_FILE: 'a line of an env file that is not NAME=VALUE',
  E_DUPLICATE_ENV: 'an environment variable is declared twice in list form',
  E_DUPLICATE_MOUNT: "two of a container's mounts at one container path",
  E_DUPLICATE_NETWORK: "one network listed twice in a container's networks",
  E_SECRET_SOURCE: 'a Secret or Config value could not be read (file or variable)',
  W_SECRET_SHORT:
    'a warning: a Secret value under 4 characters is not searched for in container output',
  E_EXTERNAL: 'an external network or volume declares fields berth would have to manage',
  E_ENGINE_NAME:
    'a Network or Volume spec.name that is no valid engine name, or that another object claims too',
  E_PLACEMENT: 'an object placed on another engine (spec.placement.context) than an object it uses',
  E_URL: 'a remote build context that is no git repository or http(s) URL the engine can fetch',
  E_IMAGE_REF: 'not an image reference the engine accepts (repo[:tag][@digest])',
  E_NETWORK_DRIVER:
    "a network the engine cannot create or connect (host, none): use the container's networkMode",
} as const;

export type ProblemCode = keyof typeof PROBLEM_CODES;

/** One thing wrong with the input, pointing at the offending value. */
export interface Problem extends SourcePosition {
  code: ProblemCode;
  message: string;
}

export function formatProblem(p: Problem): string {
  // The file name and the message quote the input, which may hold terminal escapes (F345).
  return visibleText(`${p.file}:${p.line}:${p.column}: ${p.message} [${p.code}]`);
}

/**
 * A problem as `-o json|yaml` prints it (validate's list, a failed command's error document):
 * `{file, line, column, code, message}`, in that order, nothing else of the object.
 */
export function problemFields({ file, line, column, code, message }: Problem): Problem {
  return { file, line, column, code, message };
}

/** A warning (LoadResult.warnings) as the CLI prints it on stderr: `file:line:col: warning: …`. */
export function formatWarning(p: Problem): string {
  return visibleText(`${p.file}:${p.line}:${p.column}: warning: ${p.message}`);
}

/** Stable order: file, line, column, code. */
export function sortProblems(problems: Problem[]): Problem[] {
  return [...problems].sort(
    (a, b) =>
      a.file.localeCompare(b.file) ||
      a.line - b.line ||
      a.column - b.column ||
      a.code.localeCompare(b.code),
  );
}
