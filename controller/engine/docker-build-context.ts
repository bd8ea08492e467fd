import { createReadStream } from 'node:fs';
import { lstat, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { EngineError } from './engine.js';
import { endOfArchive, entryHeader, padding } from './docker-streams-tar.js';

/**
 * The build context as the engine receives it: a tar of exactly `files` (relative paths,
 * already filtered by `.dockerignore`, the Dockerfile and `.dockerignore` always among
 * them), owned by root as the docker CLI sends it. Packed here rather than by dockerode,
 * which applies `.dockerignore` a second time and drops a Dockerfile that it lists
 * (issue 19 item 5); the engine itself leaves both out of the image.
 */
export async function* packBuildContext(
  contextDir: string,
  files: readonly string[],
): AsyncGenerator<Buffer> {
  for (const name of files) {
    const path = join(contextDir, name);
    const stat = await lstat(path);
    const base = { name, mode: stat.mode & 0o7777, mtime: stat.mtimeMs / 1000, uid: 0, gid: 0 };
    if (stat.isSymbolicLink()) {
      yield entryHeader({ ...base, type: 'symlink', size: 0, linkName: await readlink(path) });
    } else if (stat.isFile()) {
      yield entryHeader({ ...base, type: 'file', size: stat.size, linkName: '' });
      let written = 0;
      for await (const chunk of createReadStream(path)) {
        written += (chunk as Buffer).length;
        yield chunk as Buffer;
      }
      // A file that changed size while read would corrupt the archive: refuse instead.
      if (written !== stat.size) {
        throw new EngineError('E_IMAGE_BUILD', `${path} changed while the context was sent`);
      }
      yield padding(stat.size);
    }
  }
  yield endOfArchive();
}
