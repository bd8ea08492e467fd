import { BOOLEANS } from '../validate/typed-variables.js';
import { dockerSize } from '../validate/values.js';

/**
 * Compose value spellings → berth value spellings. Every function keeps `${…}` as
 * written: berth interpolates at validate/apply time, so the output stays portable.
 */

/**
 * True when `value` holds a Compose variable that berth will resolve later: `${VAR…}` or an
 * unbraced `$VAR` (F193: getsentry's `interval: "$HEALTHCHECK_INTERVAL"` was dropped as "not a
 * duration"); `$$` is a literal `$`.
 */
export function hasVariable(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  for (let i = 0; i < value.length; i++) {
    if (value[i] !== '$') continue;
    const next = value[i + 1] ?? '';
    if (next === '$') i++;
    else if (next === '{' || /[A-Za-z_]/.test(next)) return true;
  }
  return false;
}

/**
 * Splits a command string into words as Compose does (POSIX shell quoting, no expansion):
 * single and double quotes, backslash escapes; `${…}` stays one word even with spaces in it.
 */
export function shellWords(command: string): string[] {
  return scanWords(command).words;
}

/**
 * Why docker compose refuses to split `command` (shlex "No closing quotation", go-shellwords
 * "invalid command line string"; F265): an unterminated quote or a trailing backslash.
 * Undefined when the string splits.
 */
export function shellWordsProblem(command: string): string | undefined {
  const { quote, trailingBackslash } = scanWords(command);
  if (quote) return `unterminated quote (${quote} is never closed)`;
  return trailingBackslash ? 'ends in a backslash that escapes nothing' : undefined;
}

function scanWords(command: string): {
  words: string[];
  quote: "'" | '"' | undefined;
  trailingBackslash: boolean;
} {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: "'" | '"' | undefined;
  let braces = 0;
  let trailingBackslash = false;
  for (let i = 0; i < command.length; i++) {
    const c = command[i]!;
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else word += c;
      continue;
    }
    if (c === '\\' && i + 1 === command.length) trailingBackslash = true;
    if (
      c === '\\' &&
      i + 1 < command.length &&
      (quote !== '"' || '"\\$`'.includes(command[i + 1]!))
    ) {
      word += command[++i];
      inWord = true;
      continue;
    }
    if (quote === '"') {
      if (c === '"') quote = undefined;
      else word += c;
      continue;
    }
    if (c === '$' && command[i + 1] === '{') braces++;
    if (c === '}' && braces > 0) braces--;
    if (/\s/.test(c) && braces === 0) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      continue;
    }
    inWord = true;
    if (c === "'" || c === '"') quote = c;
    else word += c;
  }
  if (inWord) words.push(word);
  return { words, quote, trailingBackslash };
}

/** A command in list or string form as a list of strings; undefined for null. */
export function commandList(value: unknown): string[] | undefined {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) return value.map((v) => String(v));
  return shellWords(String(value));
}

/**
 * A Compose byte size (`512m`, `1g`, `1.5gb`, `2048`; Docker's units are powers of 1024:
 * validate/values.ts dockerSize, the one grammar) as a berth quantity (`512Mi`, `1Gi`,
 * `1.5Gi`, 2048). A `${…}` is kept, with the default of a lone `${NAME:-size}` in berth's
 * spelling (`${MEM:-2g}` → `${MEM:-2Gi}`, the same size either way); whatever the variable
 * is given is read as Docker reads sizes at validate (`MEM=2G` is 2 GiB: typed-variables.ts
 * readVariableSizesAsDocker, F351). Undefined when not a size.
 */
export function quantity(value: unknown): string | number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value > 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  if (hasVariable(value)) return withDefaultSpelled(value, dockerSize);
  return dockerSize(value);
}

/**
 * `value` with the default of a lone `${NAME:-word}` / `${NAME-word}` in berth's spelling
 * (`convert(word)`), when it converts; otherwise `value` as written.
 */
function withDefaultSpelled(
  value: string,
  convert: (word: string) => string | number | undefined,
): string {
  const match = /^(\s*\$\{[A-Za-z_][A-Za-z0-9_]*:?-)([^}$]*)(\}\s*)$/.exec(value);
  const spelled = match ? convert(match[2]!) : undefined;
  return spelled === undefined ? value : `${match![1]}${spelled}${match![3]}`;
}

/**
 * A Compose duration (`1m30s`, `10s`, `500ms`, `1h`) as berth writes durations; numbers
 * (seconds) pass through. Undefined when not a duration.
 */
export function duration(value: unknown): string | number | undefined {
  if (typeof value === 'number') return value >= 0 ? Math.round(value) : undefined;
  if (typeof value !== 'string') return undefined;
  if (hasVariable(value)) return value;
  const text = value.trim().replace(/\s+/g, '');
  if (!COMPOSE_DURATION.test(text)) return undefined;
  // In berth's spelling (F230): the micro sign for the Greek mu, `0.5s` for `.5s`, `1s` for
  // `1.s`, no `+`. A negative one stays out (a loss): berth has no negative durations.
  const berth = text
    .replace(/^\+/, '')
    .replace(/\u03bc/g, '\u00b5')
    .replace(/(^|[a-z\u00b5])\./g, '$10.')
    .replace(/\.(?=[a-z\u00b5])/g, '');
  // \u00b5: µ, written so the CLI bundle stays ASCII (cached-bundle.ts).
  return /^([0-9]+(\.[0-9]+)?(ns|us|\u00b5s|ms|s|m|h))+$|^[0-9]+$/.test(berth) ? berth : undefined;
}

/**
 * A Compose duration written as a string: Go's time.ParseDuration (a number without unit
 * only as `0`). The one grammar of the Compose side: import's check (value-checks.ts) and
 * its conversion (`duration`) both use it (F230).
 */
// \u00b5 and \u03bc: µ (micro sign) and μ (Greek mu), written so the CLI bundle stays ASCII (cached-bundle.ts).
export const COMPOSE_DURATION = /^[-+]?(((\d+(\.\d*)?|\.\d+)(ns|us|\u00b5s|\u03bcs|ms|s|m|h))+|0)$/;

/**
 * A whole number from Compose's `3`, `"3"` (compose-go casts quoted numbers of integer fields,
 * `healthcheck.retries` among them) or `"${N:-3}"` (kept for berth to interpolate);
 * undefined when it is none of these.
 */
export function wholeNumber(value: unknown): number | string | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? value : undefined;
  if (hasVariable(value)) return value as string;
  return typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : undefined;
}

/** A number for berth's `cpus` from Compose's `"0.5"`, `0.5` or `"${CPUS}"`. */
export function cpus(value: unknown): number | string | undefined {
  if (hasVariable(value)) return value as string;
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

/** The strings compose-go's toBoolean casts (loader/interpolate.go), any case: the one table. */
const COMPOSE_BOOLEANS = BOOLEANS;

/**
 * A Compose boolean field (`read_only`, `init`, a volume's `read_only`…): true or false, a
 * string compose-go casts to one (`"true"`, `"yes"`), or a `${…}` kept for berth to
 * interpolate and cast at validate (specs/validate/typed-variables.ts) as compose-go does;
 * undefined for anything else.
 */
export function flag(value: unknown): boolean | string | undefined {
  if (typeof value === 'boolean') return value;
  if (hasVariable(value)) return value as string;
  return typeof value === 'string' ? COMPOSE_BOOLEANS[value.toLowerCase()] : undefined;
}

/** A scalar as the string berth wants in env, labels, sysctls (null stays null). */
export function text(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/**
 * A file mode read from YAML as berth's octal string. `0440` may have been read as the
 * decimal number 440 (YAML 1.2) or as 288 (YAML 1.1 octal); digits 0-7 only mean the
 * author wrote octal, anything else is converted from decimal.
 */
export function fileMode(value: unknown): string | undefined {
  if (typeof value === 'string')
    return /^0?[0-7]{3,4}$/.test(value) ? value.padStart(4, '0') : undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) return undefined;
  const digits = String(value);
  return (/^[0-7]+$/.test(digits) ? digits : value.toString(8)).padStart(4, '0');
}

/** A DNS label for metadata.name from a Compose name (`My_App.web` → `my-app-web`). */
export function dnsLabel(name: string): string {
  const label = name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return label || 'x';
}

/** A Compose image name as a literal berth ref: `nginx` alone would name an Image object. */
export function literalRef(image: string): string {
  if (/[:/@]/.test(image) || image.startsWith('$')) return image;
  return `${image}:latest`;
}

/**
 * An image name that is one variable with no default of its own (`${IMAGE}`, `$IMAGE`,
 * `${IMAGE:-}`, `${IMAGE-}`) gets `fallback` as its default: for a service that builds,
 * docker compose takes a blank `image` as not given and names the image
 * `<project>-<service>` (api.GetImageNameOrDefault). Any other text comes back as it is.
 */
export function imageOrDefault(image: string, fallback: string): string {
  const lone = /^\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::?-)?\}|([A-Za-z_][A-Za-z0-9_]*))$/.exec(image);
  const name = lone?.[1] ?? lone?.[2];
  return name ? `\${${name}:-${fallback}}` : image;
}

/**
 * Makes Compose's implicit blank default explicit: Compose substitutes "" for an unset
 * `${VAR}` or `$VAR` (with a warning), berth refuses an unset variable without a default,
 * so both become `${VAR:-}`. `$$`, defaults and `?` forms are kept as written.
 */
export function explicitBlankDefaults(value: string): string {
  return value.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (all, braced, bare) => {
      const name = (braced ?? bare) as string | undefined;
      return name ? `\${${name}:-}` : all;
    },
  );
}

/** Applies explicitBlankDefaults to every string value (never a key) in a tree. */
export function withBlankDefaults<T>(tree: T): T {
  if (typeof tree === 'string') return explicitBlankDefaults(tree) as T;
  if (Array.isArray(tree)) return tree.map(withBlankDefaults) as T;
  if (typeof tree === 'object' && tree !== null)
    return Object.fromEntries(Object.entries(tree).map(([k, v]) => [k, withBlankDefaults(v)])) as T;
  return tree;
}
