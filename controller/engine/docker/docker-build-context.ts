import { createReadStream } from 'node:fs';
import { lstat, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { EngineError } from '../engine.js';
import { endOfArchive, entryHeader, padding, type TarEntry } from './docker-streams-tar.js';

/**
 * The build context as the engine receives it: a tar of exactly `files` (relative paths,
 * already filtered by `.dockerignore`, the Dockerfile and `.dockerignore` always among
 * them), owned by root as the docker CLI sends it. Packed here rather than by dockerode,
 * which applies `.dockerignore` a second time and drops a Dockerfile that it lists
 * (issue 19 item 5); the engine itself leaves both out of the image. `replaced` files are
 * sent with that content instead of the file's (the Dockerfile without its `# syntax=`).
 */
export async function* packBuildContext(
  contextDir: string,
  files: readonly string[],
  replaced: ReadonlyMap<string, Buffer> = new Map(),
): AsyncGenerator<Buffer> {
  for (const name of files) {
    const path = join(contextDir, name);
    const content = replaced.get(name);
    // A sent-only file (a Dockerfile from outside the context) has no file of its own there.
    const stat =
      content === undefined ? await lstat(path) : await lstat(path).catch(() => undefined);
    const base = {
      name,
      mode: stat ? stat.mode & 0o7777 : 0o644,
      mtime: (stat?.mtimeMs ?? Date.now()) / 1000,
      uid: 0,
      gid: 0,
    };
    if (content !== undefined) {
      yield entryHeader({ ...base, type: 'file', linkName: '', size: content.length });
      yield content;
      yield padding(content.length);
    } else if (stat?.isSymbolicLink()) {
      yield entryHeader({ ...base, type: 'symlink', size: 0, linkName: await readlink(path) });
    } else if (stat?.isFile()) {
      yield* packFile(
        path,
        { ...base, size: stat.size },
        () => new EngineError('E_IMAGE_BUILD', `${path} changed while the context was sent`),
      );
    }
  }
  yield endOfArchive();
}

/**
 * One regular file as a tar entry: header, content streamed, padding. A file whose size
 * changed while read would corrupt the archive: `changed()` is thrown instead.
 */
export async function* packFile(
  path: string,
  entry: Omit<TarEntry, 'type' | 'linkName'>,
  changed: () => Error,
): AsyncGenerator<Buffer> {
  yield entryHeader({ ...entry, type: 'file', linkName: '' });
  let written = 0;
  for await (const chunk of createReadStream(path)) {
    written += (chunk as Buffer).length;
    yield chunk as Buffer;
  }
  if (written !== entry.size) throw changed();
  yield padding(entry.size);
}
