import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ComposeInputError, IMPORT_HEADER } from '../../specs/compose/index.js';

/**
 * Refuses, before anything is written, to write a manifest over a file in `outDir` that an
 * earlier `berth import` did not write (it lacks IMPORT_HEADER): `-o DIR` replaced a
 * hand-written `web.yaml` silently (F271). Every such file is named, as `file:1:1`, relative
 * to `cwd`; `--force` (`force`) writes over them.
 */
export function refuseForeignManifests(
  outDir: string,
  names: Iterable<string>,
  cwd: string,
  force = false,
): void {
  if (force) return;
  const foreign = [...names]
    .map((name) => join(outDir, name))
    .filter((path) => existsSync(path) && !readFileSync(path, 'utf8').startsWith(IMPORT_HEADER));
  if (foreign.length === 0) return;
  throw ComposeInputError.of(
    foreign.map((path) => ({
      where: { file: relative(cwd, path) || path, line: 1, column: 1 },
      message: 'exists and was not written by berth import; move it or pass --force',
      code: 'E_COMPOSE' as const,
    })),
  );
}
