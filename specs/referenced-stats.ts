import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { listBuildContext } from './build/context.js';
import type { ReferencedPaths } from './referenced-paths.js';

/**
 * A fingerprint of the referenced paths from their metadata alone (size, times, inode,
 * mode): each file, and each file a build context sends (.dockerignore honoured, as the
 * content hash does). Reads no file's content, so the periodic resync can ask "did anything
 * the set reads change?" for a few stats; when it did, the set is read again and the
 * digests and content hashes are recomputed from the bytes.
 */
export async function referencedFingerprint(refs: ReferencedPaths): Promise<string> {
  const lines = await Promise.all(refs.files.map(statLine));
  for (const { dir, dockerfile } of refs.contexts) {
    const sent = await listBuildContext(dir, dockerfile).catch(() => undefined);
    if (!sent) lines.push(`${dir}:unreadable`);
    else lines.push(...(await Promise.all(sent.map((path) => statLine(join(dir, path))))));
  }
  return lines.join('\n');
}

async function statLine(path: string): Promise<string> {
  return stat(path).then(
    (s) => `${path}:${s.size}:${s.mtimeMs}:${s.ctimeMs}:${s.ino}:${s.mode}`,
    () => `${path}:gone`,
  );
}
