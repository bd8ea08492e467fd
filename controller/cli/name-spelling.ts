import { dnsLabel } from '../../specs/compose/values.js';
import { closestMatch } from '../../specs/validate/suggest.js';

/**
 * A name as a Compose user may type it (`my_db`, `WebApp`) and the declared name `berth
 * import` made of it (`my-db`, `webapp`), or undefined when the two are the same (F547).
 * Pure.
 */
export function importedSpelling(name: string): string | undefined {
  const label = dnsLabel(name);
  return label === name ? undefined : label;
}

/**
 * `name` when `known` has it, else the declared name import makes of it when `known` has
 * that one (`my_db` → `my-db`), else undefined. Pure.
 */
export function resolveSpelling(name: string, known: ReadonlySet<string>): string | undefined {
  if (known.has(name)) return name;
  const imported = importedSpelling(name);
  return imported !== undefined && known.has(imported) ? imported : undefined;
}

/** `; did you mean "my-db"?` when a known name is one typo (or one import rename) away, else ''. */
export function didYouMeanName(name: string, known: Iterable<string>): string {
  const candidates = [...known];
  const imported = importedSpelling(name);
  const close =
    (imported !== undefined && candidates.includes(imported) ? imported : undefined) ??
    closestMatch(name, candidates);
  return close === undefined ? '' : `; did you mean "${close}"?`;
}
