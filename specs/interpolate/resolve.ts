import { parseTemplate } from './template.js';
import type { TemplatePart, VariablePart } from './template.js';

/**
 * Where variables come from: a name → its value, `undefined` when unset. `origin`, when
 * given, says where a set variable was read (an env file's path as shown, or
 * `the environment`), for messages about blank variables.
 */
export type VariableLookup = ((name: string) => string | undefined) & {
  origin?: (name: string) => string | undefined;
};

/** A variable that made its part of an interpolated value blank: unset, or set to "". */
export interface BlankVariable {
  name: string;
  /** Set (to "") rather than unset. */
  set: boolean;
  /** Where it was set, when `set` and the lookup knows (`VariableLookup.origin`). */
  origin?: string;
}

/** Why a string could not be interpolated; `offset`/`length` locate the expression in it. */
export interface InterpolationError {
  code: 'E_UNSET_VAR' | 'E_INTERPOLATION';
  offset: number;
  /** The expression's text (for syntax errors: the rest of the string), to find it in the source. */
  expression: string;
  message: string;
}

export type InterpolationResult = { value: string } | { error: InterpolationError };

/**
 * Resolves Compose interpolation in one string value. Unlike Compose (which warns and
 * substitutes ""), a variable that is unset and has no default is an error (DESIGN.md
 * "Variables"), unless `blank` is given: then such a `${VAR}` becomes "", as Compose makes
 * it, and `blank` is told where (a `${VAR?message}` stays an error). Operands are resolved
 * only when used, so `${A:-${B}}` needs B only when A is unset or empty.
 */
export function interpolate(
  text: string,
  lookup: VariableLookup,
  blank?: (unset: InterpolationError) => void,
): InterpolationResult {
  const parts = parseTemplate(text);
  if (!Array.isArray(parts)) {
    const { offset, message } = parts;
    const expression = text.slice(offset);
    return { error: { code: 'E_INTERPOLATION', offset, expression, message } };
  }
  try {
    return { value: render(parts, text, lookup, blank) };
  } catch (error) {
    if (error instanceof UnsetError) return { error: error.detail };
    throw error;
  }
}

class UnsetError extends Error {
  constructor(readonly detail: InterpolationError) {
    super(detail.message);
  }
}

type Blank = ((unset: InterpolationError) => void) | undefined;

function render(
  parts: TemplatePart[],
  text: string,
  lookup: VariableLookup,
  blank?: Blank,
): string {
  let out = '';
  for (const part of parts)
    out += part.kind === 'text' ? part.text : resolve(part, text, lookup, blank);
  return out;
}

function resolve(part: VariablePart, text: string, lookup: VariableLookup, blank?: Blank): string {
  const value = lookup(part.name);
  const operand = (): string => render(part.operand ?? [], text, lookup, blank);
  const set = value !== undefined;
  const nonEmpty = set && value !== '';
  switch (part.operator) {
    case undefined: {
      if (set) return value;
      // `$NAME` bare is also how a shell names its variables (`sh -c 'echo $HOME'`): say how
      // to hand it to the container's shell (F861; Compose warns and leaves it blank).
      const bare = text[part.start + 1] !== '{';
      const shell = bare ? ` (for the container's shell to expand, write $$${part.name})` : '';
      const error = unset(part, text, `variable ${part.name} is not set${shell}`);
      if (!blank) throw error;
      blank(error.detail);
      return '';
    }
    case ':-':
      return nonEmpty ? value : operand();
    case '-':
      return set ? value : operand();
    case ':+':
      return nonEmpty ? operand() : '';
    case '+':
      return set ? operand() : '';
    case ':?':
    case '?': {
      if (part.operator === ':?' ? nonEmpty : set) return value as string;
      const message = operand();
      const state = set ? 'is empty' : 'is not set';
      throw unset(part, text, `variable ${part.name} ${state}${message ? `: ${message}` : ''}`);
    }
  }
}

function unset(part: VariablePart, text: string, message: string): UnsetError {
  return new UnsetError({
    code: 'E_UNSET_VAR',
    offset: part.start,
    expression: text.slice(part.start, part.end),
    message,
  });
}

/**
 * The variables of `text` whose blank value (unset, or set to "") made their part of the
 * interpolated value blank, in order, as `interpolate` evaluates it: `${DIR:-}/app.env`
 * with DIR unset names DIR; `${A:-${B:-}}` with both blank names A and B; `${A:-x}` names
 * none. For messages only: a string that does not interpolate names none.
 */
export function blankVariables(text: string, lookup: VariableLookup): BlankVariable[] {
  const parts = parseTemplate(text);
  const found: BlankVariable[] = [];
  const visit = (list: TemplatePart[]): void => {
    for (const part of list) {
      if (part.kind !== 'variable') continue;
      let contribution: string;
      try {
        contribution = resolve(part, text, lookup);
      } catch {
        continue;
      }
      if (contribution !== '') continue;
      const value = lookup(part.name);
      if (value === undefined || value === '') {
        const origin = value === '' ? lookup.origin?.(part.name) : undefined;
        found.push({ name: part.name, set: value === '', ...(origin && { origin }) });
      }
      if (part.operand && operandUsed(part, value)) visit(part.operand);
    }
  };
  if (Array.isArray(parts)) visit(parts);
  return found;
}

function operandUsed(part: VariablePart, value: string | undefined): boolean {
  const set = value !== undefined;
  const nonEmpty = set && value !== '';
  switch (part.operator) {
    case ':-':
      return !nonEmpty;
    case '-':
      return !set;
    case ':+':
      return nonEmpty;
    case '+':
      return set;
    default:
      return false;
  }
}
