import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ComposeInputError } from '../../specs/compose/index.js';

/**
 * The file in the output folder where `berth import -o DIR` records a digest of every file it
 * wrote (manifests, copied env files, `.env`). Hidden, so `berth apply -f DIR` never reads it;
 * digests only, never the contents (`.env` and env files hold secrets).
 */
export const IMPORT_RECORD = '.berth-import.json';

/** One file import is about to write over (`text`) or remove (`text` undefined). */
export interface PlannedOutput {
  name: string;
  text?: string | Buffer | undefined;
}

/** sha256 of a file's bytes, as hex. */
export function digestOf(bytes: string | Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The digests the last import recorded in `outDir`, by file name; empty when there is none. */
export function readImportRecord(outDir: string): Map<string, string> {
  const path = join(outDir, IMPORT_RECORD);
  if (!existsSync(path)) return new Map();
  try {
    const files: unknown = JSON.parse(readFileSync(path, 'utf8')).files;
    if (typeof files !== 'object' || files === null) return new Map();
    return new Map(
      Object.entries(files).filter((e): e is [string, string] => typeof e[1] === 'string'),
    );
  } catch {
    return new Map(); // a broken record protects nothing more than none
  }
}

/** Records the digest of each written file (sorted, so the record diffs well). */
export function writeImportRecord(outDir: string, written: ReadonlyMap<string, string>): void {
  const files = Object.fromEntries([...written].sort(([a], [b]) => a.localeCompare(b)));
  writeFileSync(join(outDir, IMPORT_RECORD), JSON.stringify({ files }, null, 2) + '\n');
}

/**
 * Refuses, before anything is written, to write over or remove a file that changed since an
 * earlier import wrote it (its digest differs from the recorded one): a re-import silently put
 * back an edited `pg.yaml` and the old API_TOKEN in `.env` (F542). A file whose content is
 * already what this import writes is no loss. Each such file is named, as `file:1:1` relative
 * to `cwd` (never its content); `force` writes over them.
 */
export function refuseEditedOutputs(
  outDir: string,
  planned: PlannedOutput[],
  cwd: string,
  force = false,
): void {
  if (force) return;
  const record = readImportRecord(outDir);
  const edited = planned.filter(({ name, text }) => {
    const recorded = record.get(name);
    const path = join(outDir, name);
    if (recorded === undefined || !existsSync(path)) return false;
    const now = digestOf(readFileSync(path));
    return now !== recorded && (text === undefined || now !== digestOf(text));
  });
  if (edited.length === 0) return;
  throw ComposeInputError.of(
    edited.map(({ name }) => ({
      where: { file: relative(cwd, join(outDir, name)) || name, line: 1, column: 1 },
      message: 'edited since berth import wrote it; move it away or pass --force to overwrite',
      code: 'E_COMPOSE' as const,
    })),
  );
}
