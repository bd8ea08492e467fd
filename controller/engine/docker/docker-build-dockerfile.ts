import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';

/** What a build uploads: the context's files, contents sent instead of a file's, the Dockerfile's name. */
export interface SentContext {
  files: readonly string[];
  replaced: Map<string, Buffer>;
  dockerfile: string;
}

/**
 * The engine reads the Dockerfile from the uploaded context only, so one outside the context
 * (Compose's `dockerfile: ../docker/app.Dockerfile`, common in monorepos) failed with "failed
 * to read dockerfile". As the docker CLI does (cli/command/image/build: AddDockerfileToBuildContext),
 * such a Dockerfile is sent inside the context under a name of its own, `.dockerfile.<hash>`,
 * which the build's `dockerfile` parameter then names; the path itself (`../…`) is not sent.
 * `replaced` may already hold the Dockerfile's content (without its `# syntax=` line).
 * Under BuildKit a `COPY .` then also copies that `.dockerfile.<hash>` (this engine's BuildKit
 * applies no `.dockerignore` to an uploaded context, see docker-build.ts; the docker CLI
 * avoids it with a session that berth does not open for this).
 */
export async function withDockerfileInContext(
  contextDir: string,
  dockerfile: string,
  files: readonly string[],
  replaced: Map<string, Buffer>,
): Promise<SentContext> {
  const written = posix.normalize(dockerfile);
  if (written !== '..' && !written.startsWith('../')) return { files, replaced, dockerfile };
  const content = replaced.get(dockerfile) ?? (await readFile(join(contextDir, dockerfile)));
  const name = `.dockerfile.${createHash('sha256').update(content).digest('hex').slice(0, 12)}`;
  const sent = new Map(replaced);
  sent.delete(dockerfile);
  sent.set(name, content);
  return {
    files: [...files.filter((f) => f !== written && f !== dockerfile), name],
    replaced: sent,
    dockerfile: name,
  };
}

/**
 * The files sent for an inline Dockerfile (`build.dockerfileInline`): the context's files plus
 * the Dockerfile under its own name (its content comes from the sent `replaced` map), as the
 * docker CLI sends a Dockerfile read from stdin.
 */
export function withInlineDockerfile(files: readonly string[], dockerfile: string): string[] {
  return [...files.filter((f) => f !== dockerfile), dockerfile];
}
