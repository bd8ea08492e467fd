import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Problem } from '../problems.js';
import { ioReason } from './io-reason.js';

/** A manifest source found on the command line: a file, or `-` for stdin. */
export interface ManifestFile {
  /** The path as the user wrote it, joined with the path inside a folder; `<stdin>` for stdin. */
  display: string;
  /** Absolute path, or `-` for stdin. */
  absolute: string;
}

export const STDIN_NAME = '<stdin>';

/** Hidden files and the droppings of editors (emacs `*~`, `.#*`, `#*#`; vim `*.swp`). */
export function isIgnoredName(name: string): boolean {
  return (
    name.startsWith('.') ||
    name.endsWith('~') ||
    (name.startsWith('#') && name.endsWith('#')) ||
    /\.sw[a-p]$/.test(name)
  );
}

function isManifestName(name: string): boolean {
  return /\.ya?ml$/.test(name) && !isIgnoredName(name);
}

/**
 * Expands files and folders (recursively) into manifest files, sorted within each
 * folder and de-duplicated. An explicitly named file is read whatever its extension.
 * A path that cannot be read is an E_IO problem naming it.
 */
export async function collectManifestFiles(
  paths: string[],
  cwd: string = process.cwd(),
): Promise<{ files: ManifestFile[]; problems: Problem[] }> {
  const files: ManifestFile[] = [];
  const problems: Problem[] = [];
  for (const path of paths) {
    if (path === '-') {
      files.push({ display: STDIN_NAME, absolute: '-' });
      continue;
    }
    const absolute = resolve(cwd, path);
    try {
      const info = await stat(absolute);
      if (info.isDirectory()) files.push(...(await walk(absolute, path)));
      else files.push({ display: path, absolute });
    } catch (error) {
      problems.push({
        file: path,
        line: 1,
        column: 1,
        code: 'E_IO',
        message: ioMessage(path, error),
      });
    }
  }
  const seen = new Set<string>();
  return { files: files.filter((f) => !seen.has(f.absolute) && seen.add(f.absolute)), problems };
}

async function walk(absolute: string, display: string): Promise<ManifestFile[]> {
  const entries = await readdir(absolute, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const found: ManifestFile[] = [];
  for (const entry of entries) {
    if (isIgnoredName(entry.name)) continue;
    const child = { absolute: join(absolute, entry.name), display: join(display, entry.name) };
    // Symlinked folders are not followed: they could loop.
    if (entry.isDirectory()) found.push(...(await walk(child.absolute, child.display)));
    else if (isManifestName(entry.name) && (entry.isFile() || entry.isSymbolicLink())) {
      found.push(child);
    }
  }
  return found;
}

/** A short reason for a failed read, naming the path. */
export function ioMessage(path: string, error: unknown): string {
  return `${path} ${ioReason(error)}`;
}
