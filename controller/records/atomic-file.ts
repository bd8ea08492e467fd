import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Writes `text` to `path` so that a reader sees either the old file or the whole new one:
 * a temp file in the same folder (rename is only atomic within one file system), fsync,
 * rename over the target, then fsync the folder so the rename itself survives a crash.
 */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const folder = dirname(path);
  await mkdir(folder, { recursive: true });
  const temp = join(
    folder,
    `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
  try {
    const handle = await open(temp, 'w', 0o600);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (e) {
    await unlink(temp).catch(() => undefined);
    throw e;
  }
  await syncFolder(folder);
}

async function syncFolder(folder: string): Promise<void> {
  // Best effort: some file systems refuse fsync on a directory handle.
  try {
    const handle = await open(folder, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    /* the data itself is already synced */
  }
}

/** What reading a JSON file gave: its parsed value, or why there is none. */
export type JsonRead =
  | { ok: true; value: unknown }
  | { ok: false; reason: 'missing' | 'unreadable' | 'corrupt'; message: string };

/** Reads and parses a JSON file; never throws. */
export async function readJsonFile(path: string): Promise<JsonRead> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { ok: false, reason: 'missing', message: 'no such file' };
    return { ok: false, reason: 'unreadable', message: (e as Error).message };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (e) {
    return { ok: false, reason: 'corrupt', message: `not valid JSON: ${(e as Error).message}` };
  }
}
