import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { ComposeInputError } from '../../specs/compose/index.js';
import type { ImportResult } from '../../specs/compose/index.js';
import { parseEnvFile } from '../../specs/interpolate/env-file.js';

/**
 * Refuses, before anything is written, a project `.env` or `env_file` that berth's own reader
 * (the one validate and apply use) cannot read: import let an unclosed quote, `WEB PORT=1` or
 * `=novalue` through with a "variable is not set" warning and exit 0, and copied the file, so
 * `berth validate -f OUT` then failed at the copy (F467, F543; F261/F263: import never exits 0
 * with output validate refuses). The problem is named at the user's own `file:line:col`
 * (relative to `cwd`), never with the line's text (it may hold a secret). `${…}` in values is
 * left to the manifests' own checks (read leniently here).
 */
export function refuseUnreadableEnvFiles(result: ImportResult, cwd: string): void {
  const files = [result.dotEnv.source, ...result.copies.keys()].filter(
    (file): file is string => file !== undefined,
  );
  const problems = files.flatMap((file) => {
    const parsed = parseEnvFile(readFileSync(file, 'utf8'), { lenient: true });
    if (!('error' in parsed)) return [];
    const { line, column, message, code } = parsed.error;
    return [{ where: { file: relative(cwd, file) || file, line, column }, message, code }];
  });
  if (problems.length) throw ComposeInputError.of(problems);
}
