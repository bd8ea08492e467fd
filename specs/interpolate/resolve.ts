import { parseTemplate } from './template.js';
import type { TemplatePart, VariablePart } from './template.js';

/** Where variables come from: a name → its value, `undefined` when unset. */
export type VariableLookup = (name: string) => string | undefined;

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
 * "Variables"). Operands are resolved only when used, so `${A:-${B}}` needs B only when
 * A is unset or empty.
 */
export function interpolate(text: string, lookup: VariableLookup): InterpolationResult {
  const parts = parseTemplate(text);
  if (!Array.isArray(parts)) {
    const { offset, message } = parts;
    const expression = text.slice(offset);
    return { error: { code: 'E_INTERPOLATION', offset, expression, message } };
  }
  try {
    return { value: render(parts, text, lookup) };
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

function render(parts: TemplatePart[], text: string, lookup: VariableLookup): string {
  let out = '';
  for (const part of parts) out += part.kind === 'text' ? part.text : resolve(part, text, lookup);
  return out;
}

function resolve(part: VariablePart, text: string, lookup: VariableLookup): string {
  const value = lookup(part.name);
  const operand = (): string => render(part.operand ?? [], text, lookup);
  const set = value !== undefined;
  const nonEmpty = set && value !== '';
  switch (part.operator) {
    case undefined:
      if (set) return value;
      throw unset(part, text, `variable ${part.name} is not set`);
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
