import jsyaml from 'js-yaml';

/**
 * js-yaml set to read YAML 1.2 core scalars as the `yaml` package (the full parse path)
 * does, for the fast path (fast.ts) and for the worker that reads part of a large file
 * (yaml-worker.ts). Only js-yaml here, so a worker loads nothing else.
 */

/** A plain number or boolean written otherwise than `String(value)` prints it (`1.10`, `True`). */
export class Written {
  /** How many were made: none in a file means its values need no walk (`fastDocuments`). */
  static made = 0;
  constructor(
    readonly value: number | boolean | null,
    readonly text: string,
  ) {
    Written.made++;
  }
  /** As a mapping key, js-yaml takes `String(key)`: the text as written, as the full path does. */
  toString(): string {
    return this.text;
  }
  /** Not "[object Object]", which js-yaml would take as the key instead. */
  get [Symbol.toStringTag](): string {
    return 'Written';
  }
}

const kept = (value: number | boolean | null, text: string): unknown =>
  String(value) === text ? value : new Written(value, text);

/**
 * The core schema's plain scalars. Constants: js-yaml tries every type on every plain scalar,
 * and a regular expression literal in the function is a new object each time (6 MB of
 * garbage in a validate of 1,000 objects, issue 18).
 */
const NULL_TEXT = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL_TEXT = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const INT_TEXT = /^(?:0o[0-7]+|[-+]?[0-9]+|0x[0-9a-fA-F]+)$/;
const FLOAT_TEXT =
  /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+|[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*))$/;

/** The YAML 1.2 core schema's scalars, as the `yaml` package resolves them. */
export const CORE_TYPES = [
  new jsyaml.Type('tag:yaml.org,2002:null', {
    kind: 'scalar',
    resolve: (s: string) => NULL_TEXT.test(s),
    construct: (s: string) => (s === '' || s === 'null' ? null : new Written(null, s)),
  }),
  new jsyaml.Type('tag:yaml.org,2002:bool', {
    kind: 'scalar',
    resolve: (s: string) => BOOL_TEXT.test(s),
    construct: (s: string) => kept(s[0] === 't' || s[0] === 'T', s),
  }),
  new jsyaml.Type('tag:yaml.org,2002:int', {
    kind: 'scalar',
    resolve: (s: string) => INT_TEXT.test(s),
    construct: (s: string) => {
      const radix = s.startsWith('0o') ? 8 : s.startsWith('0x') ? 16 : 10;
      return kept(parseInt(radix === 10 ? s : s.slice(2), radix), s);
    },
  }),
  new jsyaml.Type('tag:yaml.org,2002:float', {
    kind: 'scalar',
    resolve: (s: string) => FLOAT_TEXT.test(s),
    construct: (s: string) => {
      if (/nan$/i.test(s)) return kept(NaN, s);
      if (/inf$/i.test(s)) return kept(s.startsWith('-') ? -Infinity : Infinity, s);
      return kept(parseFloat(s), s);
    },
  }),
];

/**
 * Whether a plain scalar may be one of {@link CORE_TYPES}: empty, its first character one
 * numbers start with (a digit, a sign or a dot), `~` alone, or a word of at most five letters
 * starting as `null`, `true` and `false` do in their three spellings.
 */
function mayBeCore(s: string): boolean {
  const length = s.length;
  if (length === 0) return true;
  const c = s.charCodeAt(0);
  // 0-9, + - .
  if ((c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e) return true;
  if (c === 0x7e) return length === 1; // ~
  // N n T t F f
  return (
    length <= 5 &&
    (c === 0x4e || c === 0x6e || c === 0x54 || c === 0x74 || c === 0x46 || c === 0x66)
  );
}

/**
 * A plain scalar's value as js-yaml reads it with {@link CORE}: the first of
 * {@link CORE_TYPES} that resolves it, constructed, else the text itself (a string). For
 * readers that must give js-yaml's values without it (subset-reader.ts).
 */
export function resolvePlain(text: string): unknown {
  if (!mayBeCore(text)) return text;
  // Indexes, not for-of: this runs for every plain scalar, often before V8 optimises it.
  for (let i = 0; i < CORE_TYPES.length; i++) {
    const type = CORE_TYPES[i] as jsyaml.Type;
    if (type.resolve(text)) return type.construct(text) as unknown;
  }
  return text;
}

/** The type of {@link CORE_TYPES} that `resolve` of {@link IMPLICIT_CORE} matched last. */
let matched: jsyaml.Type | undefined;

/**
 * {@link CORE_TYPES} as the one implicit type js-yaml tries on every plain scalar: most
 * scalars of a manifest (names, images, paths) start with a letter none of them can, and one
 * test of the first character spares four calls and regular expressions each (issue 12: ~7 %
 * of a 1,000-object validate). Same types, same order: `construct` is the type `resolve`
 * matched (js-yaml calls it right after). The four stay explicit types, so `!!int` and the
 * like resolve as before.
 */
const IMPLICIT_CORE = new jsyaml.Type('tag:berth,2026:core-scalar', {
  kind: 'scalar',
  resolve: (s: string) => {
    matched = undefined;
    if (!mayBeCore(s)) return false;
    for (const type of CORE_TYPES) {
      if (!type.resolve(s)) continue;
      matched = type;
      return true;
    }
    return false;
  },
  construct: (s: string): unknown => (matched as jsyaml.Type).construct(s),
});

export const CORE = jsyaml.FAILSAFE_SCHEMA.extend({
  implicit: [IMPLICIT_CORE],
  explicit: CORE_TYPES,
});

/** Documents as js-yaml read them with {@link CORE}. */
export interface CoreDocuments {
  values: unknown[];
  /** Some scalar kept its written text (a {@link Written}): the values need a walk. */
  written: boolean;
}

/**
 * The documents of `text`, read with {@link CORE}; throws what js-yaml throws.
 */
export function loadCore(text: string, file: string): CoreDocuments {
  const made = Written.made;
  const values = jsyaml.loadAll(text, undefined, { schema: CORE, filename: file });
  return { values, written: Written.made !== made };
}
