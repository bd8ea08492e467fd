import { createWriteStream } from 'node:fs';
import {
  chmod,
  link,
  lstat,
  mkdir,
  readdir,
  readlink,
  rm,
  symlink,
  utimes,
} from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { finished } from 'node:stream/promises';
import { packFile } from '../engine/docker/docker-build-context.js';
import { readTar } from '../engine/docker/docker-streams-tar-read.js';
import { endOfArchive, entryHeader, type TarEntry } from '../engine/docker/docker-streams-tar.js';
import { BerthError } from '../errors.js';

/**
 * The host side of `berth cp`: a local file or folder packed as a tar for the engine,
 * and a tar from the engine unpacked onto the host — permission bits and times kept.
 */

/**
 * Packs `path` (file, folder or symlink) under the archive name `archiveName`, folders
 * recursively in name order. Yields blocks to stream to the engine.
 */
export async function* packPath(path: string, archiveName: string): AsyncGenerator<Buffer> {
  yield* packOne(path, archiveName);
  yield endOfArchive();
}

async function* packOne(path: string, name: string): AsyncGenerator<Buffer> {
  const stat = await lstat(path);
  const base = { name, mode: stat.mode, mtime: stat.mtimeMs / 1000, uid: stat.uid, gid: stat.gid };
  if (stat.isSymbolicLink()) {
    yield entryHeader({ ...base, type: 'symlink', size: 0, linkName: await readlink(path) });
  } else if (stat.isDirectory()) {
    yield entryHeader({ ...base, type: 'directory', size: 0, linkName: '' });
    for (const child of (await readdir(path)).sort()) {
      yield* packOne(join(path, child), `${name}/${child}`);
    }
  } else if (stat.isFile()) {
    yield* packFile(
      path,
      { ...base, size: stat.size },
      () => new BerthError('E_USAGE', `${path} changed while it was copied`),
    );
  }
  // Sockets, devices and fifos are skipped, as `docker cp` skips what it cannot carry.
}

/**
 * Unpacks a tar into the folder `destDir`. With `renameRoot`, the first path component of
 * every entry is replaced (copying `web:/etc/app` to a new local name `conf`). Entries
 * that would land outside `destDir` are refused.
 */
export async function unpackTar(
  source: AsyncIterable<Buffer | string>,
  destDir: string,
  renameRoot?: string,
): Promise<void> {
  const root = resolve(destDir);
  // Folder modes are set last: a read-only folder would refuse the files going into it.
  const folders: { path: string; entry: TarEntry }[] = [];
  await readTar(source, async (entry, body) => {
    const target = targetPath(root, entry.name, renameRoot);
    if (!target) return;
    if (entry.type === 'directory') {
      await mkdir(target, { recursive: true });
      folders.push({ path: target, entry });
      return;
    }
    await mkdir(dirname(target), { recursive: true });
    await rm(target, { force: true });
    if (entry.type === 'symlink') return void (await symlink(entry.linkName, target));
    if (entry.type === 'hardlink') {
      const existing = targetPath(root, entry.linkName, renameRoot);
      if (existing) await link(existing, target);
      return;
    }
    if (entry.type !== 'file') return;
    const out = createWriteStream(target, { mode: entry.mode & 0o777 });
    for await (const chunk of body) if (!out.write(chunk)) await waitDrain(out);
    out.end();
    await finished(out);
    await setModeAndTime(target, entry);
  });
  for (const { path, entry } of folders.reverse()) await setModeAndTime(path, entry);
}

function waitDrain(out: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => out.once('drain', resolve));
}

async function setModeAndTime(path: string, entry: TarEntry): Promise<void> {
  // chmod after writing: the umask must not narrow the modes that were copied.
  await chmod(path, entry.mode & 0o7777);
  await utimes(path, entry.mtime, entry.mtime);
}

/** Where an entry goes under `root`; undefined for names that would escape it. */
function targetPath(root: string, name: string, renameRoot?: string): string | undefined {
  const parts = name.split('/').filter((p) => p && p !== '.');
  if (!parts.length || parts.includes('..') || isAbsolute(name.replace(/^\/+/, '')))
    return undefined;
  if (renameRoot !== undefined) parts[0] = renameRoot;
  const target = join(root, ...parts);
  const rel = relative(root, target);
  return rel.startsWith('..') || rel.split(sep).includes('..') ? undefined : target;
}
