/**
 * `1 restart`, `3 restarts`: a count and its noun, plural unless the count is 1 (F745: status
 * said "1 restarts"). English plurals by `s` only; callers pass nouns that take it.
 */
export function counted(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
