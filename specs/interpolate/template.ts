/**
 * The grammar of Compose interpolation (compose-spec `12-interpolation.md`), parsed into
 * parts so that resolving, finding and checking variables share one reading of a string.
 *
 * - `$$` is a literal `$`; a `$` not followed by a name or `{` stays as written.
 * - `$NAME` and `${NAME}`, NAME = `[_a-zA-Z][_a-zA-Z0-9]*`.
 * - `${NAME<op>operand}` with op `:-` `-` `:?` `?` `:+` `+`; the operand is itself a
 *   template, so defaults nest (`${A:-${B:-x}}`). No other shell forms (`${A/x/y}`).
 */

/** How a braced expression treats its operand. */
export type Operator = ':-' | '-' | ':?' | '?' | ':+' | '+';

export interface VariablePart {
  kind: 'variable';
  name: string;
  /** Absent for `$NAME` and `${NAME}`. */
  operator?: Operator;
  operand?: TemplatePart[];
  /** Offsets of the whole expression (`$` .. after `}`) in the parsed string, in UTF-16 units. */
  start: number;
  end: number;
}

export type TemplatePart = { kind: 'text'; text: string } | VariablePart;

/** A string that is not valid interpolation syntax, with the offset of the mistake. */
export interface TemplateSyntaxError {
  offset: number;
  message: string;
}

const NAME = /[_a-zA-Z][_a-zA-Z0-9]*/y;
const OPERATORS: Operator[] = [':-', ':?', ':+', '-', '?', '+'];

/** Whether a string could hold interpolation at all (cheap pre-check for every scalar). */
export function mayInterpolate(text: string): boolean {
  return text.includes('$');
}

/** Parses a whole string. Never throws. */
export function parseTemplate(text: string): TemplatePart[] | TemplateSyntaxError {
  const parsed = parseParts(text, 0, false);
  return 'error' in parsed ? parsed.error : parsed.parts;
}

type Parsed = { parts: TemplatePart[]; end: number } | { error: TemplateSyntaxError };

/** Parses from `at` to the end, or (inside braces) to the `}` that closes the operand. */
function parseParts(text: string, at: number, inBraces: boolean): Parsed {
  const parts: TemplatePart[] = [];
  let literal = '';
  let i = at;
  while (i < text.length) {
    const char = text[i];
    if (inBraces && char === '}') break;
    if (char !== '$') {
      literal += char;
      i += 1;
      continue;
    }
    const next = text[i + 1];
    if (next === '$') {
      literal += '$';
      i += 2;
      continue;
    }
    const variable = next === '{' ? parseBraced(text, i) : parseBare(text, i);
    if (variable === undefined) {
      literal += '$';
      i += 1;
      continue;
    }
    if ('error' in variable) return variable;
    if (literal !== '') parts.push({ kind: 'text', text: literal });
    literal = '';
    parts.push(variable);
    i = variable.end;
  }
  if (literal !== '') parts.push({ kind: 'text', text: literal });
  return { parts, end: i };
}

function nameAt(text: string, at: number): string | undefined {
  NAME.lastIndex = at;
  return NAME.exec(text)?.[0];
}

function parseBare(text: string, start: number): VariablePart | undefined {
  const name = nameAt(text, start + 1);
  if (name === undefined) return undefined;
  return { kind: 'variable', name, start, end: start + 1 + name.length };
}

function parseBraced(text: string, start: number): VariablePart | { error: TemplateSyntaxError } {
  const name = nameAt(text, start + 2);
  if (name === undefined) {
    const message =
      start + 2 >= text.length
        ? 'unterminated ${: a variable name and } must follow'
        : `"\${" must be followed by a variable name ([_a-zA-Z][_a-zA-Z0-9]*); write $$ for a literal $`;
    return { error: { offset: start, message } };
  }
  let i = start + 2 + name.length;
  if (text[i] === '}') return { kind: 'variable', name, start, end: i + 1 };
  const operator = OPERATORS.find((op) => text.startsWith(op, i));
  if (operator === undefined) {
    if (i >= text.length) return { error: unterminated(start, name) };
    const message = `\${${name}: unexpected "${text[i] ?? ''}"; expected }, :-, -, :?, ?, :+ or +`;
    return { error: { offset: i, message } };
  }
  i += operator.length;
  const operand = parseParts(text, i, true);
  if ('error' in operand) return operand;
  if (text[operand.end] !== '}') return { error: unterminated(start, name) };
  return { kind: 'variable', name, operator, operand: operand.parts, start, end: operand.end + 1 };
}

function unterminated(start: number, name: string): TemplateSyntaxError {
  return { offset: start, message: `unterminated \${${name}: no closing }` };
}

/** Every variable a string names (nested operands included), in order; none for bad syntax. */
export function variablesIn(text: string): VariablePart[] {
  const parts = parseTemplate(text);
  if (!Array.isArray(parts)) return [];
  const found: VariablePart[] = [];
  const walk = (list: TemplatePart[]): void => {
    for (const part of list) {
      if (part.kind !== 'variable') continue;
      found.push(part);
      if (part.operand) walk(part.operand);
    }
  };
  walk(parts);
  return found;
}
