import type * as Fs from 'node:fs';

/**
 * `node:fs` for the modules the CLI's entry (main.ts) loads as ES modules. An ES import of a
 * built-in module builds its ES facade, which reads every export of `fs`, and its lazy
 * getters (`ReadStream`, `WriteStream`) then load the file streams no command of the entry
 * uses: ~5 ms of every start (issue 12, `validate` of 1,000 objects ≤ 300 ms).
 */
export function entryFs(): typeof Fs {
  return process.getBuiltinModule('node:fs');
}
