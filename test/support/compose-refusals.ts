import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ComposeInputError, importCompose } from '../../specs/compose/index.js';
import { tempDir } from './temp-dir.js';

/**
 * Imports one Compose text — `lines` joined as `compose.yaml` in a fresh temp folder, with
 * `folders` made beside it (bind-mount sources that must exist) — and returns each problem
 * of its refusal as `file:line:col: message [CODE]`, or [] when import accepts the file.
 * Errors other than a refusal (ComposeInputError) are thrown.
 */
export function composeRefusals(lines: string[], folders: string[] = []): string[] {
  const dir = tempDir('berth-import-refusal-');
  for (const folder of folders) mkdirSync(join(dir, folder));
  writeFileSync(join(dir, 'compose.yaml'), [...lines, ''].join('\n'));
  try {
    importCompose({ files: ['compose.yaml'], cwd: dir, outDir: join(dir, 'out'), profiles: [] });
  } catch (e) {
    if (e instanceof ComposeInputError)
      return e.problems.map(
        (p) => `${p.where.file}:${p.where.line}:${p.where.column}: ${p.message} [${p.code}]`,
      );
    throw e;
  }
  return [];
}
