import { access, readFile } from 'node:fs/promises';
import { refuseHostPath } from './host-path.js';
import { imageRefProblem } from '../validate/image-ref.js';
import { join } from 'node:path';
import type { ImageBuild } from '../model.js';
import type * as Raw from '../types.generated.js';
import { buildContentHash } from '../build/context.js';
import {
  INLINE_DOCKERFILE,
  isRemoteContext,
  remoteContentHash,
  remoteContextProblem,
} from '../build/remote-context.js';
import { rememberValue } from '../file-values.js';
import { stringMap } from './context.js';
import { resolveManifestPath } from './paths.js';
import type { NormaliseContext } from './context.js';
import { ioReason } from '../read/io-reason.js';

type RawBuild = NonNullable<Raw.ImageSpec['build']>;

const AT = ['spec', 'build'];

/**
 * An Image's `build`: a local folder (absolute, its Dockerfile present, content hashed), or a
 * remote context the engine fetches (checked for form only, hashed by URL); the Dockerfile
 * from a file or inline. Problems go to `ctx`; undefined when the build cannot be used.
 */
export async function normaliseBuild(
  raw: RawBuild,
  ctx: NormaliseContext,
  env: NodeJS.ProcessEnv,
): Promise<ImageBuild | undefined> {
  const args = stringMap(raw.args);
  const remote = isRemoteContext(raw.context);
  if (!exclusiveFieldsFit(raw, remote, ctx)) return undefined;
  const build = remote ? remoteBuild(raw, args, ctx) : await localBuild(raw, args, ctx);
  if (!build) return undefined;
  if (raw.target !== undefined) build.target = raw.target;
  const cacheFrom = cacheSources(raw.cacheFrom, ctx);
  if (cacheFrom) build.cacheFrom = cacheFrom;
  if (raw.secrets?.length) build.secrets = await buildSecrets(raw.secrets, ctx, env);
  return build;
}

/** `cacheFrom`: each an image reference (E_IMAGE_REF at the entry), duplicates dropped. */
function cacheSources(refs: string[] | undefined, ctx: NormaliseContext): string[] | undefined {
  if (!refs?.length) return undefined;
  refs.forEach((ref, i) => {
    const why = imageRefProblem(ref);
    if (why)
      ctx.report(
        'E_IMAGE_REF',
        [...AT, 'cacheFrom', i],
        `"${ref}" is not an image reference: ${why}`,
      );
  });
  return [...new Set(refs)];
}

/**
 * `dockerfileInline` excludes `dockerfile` (as in Compose) and a remote context: the engine
 * reads the Dockerfile of a remote context from the fetched content, never from berth.
 */
function exclusiveFieldsFit(raw: RawBuild, remote: boolean, ctx: NormaliseContext): boolean {
  if (raw.dockerfileInline === undefined) return true;
  const other =
    raw.dockerfile !== undefined ? 'dockerfile' : remote ? 'a remote context' : undefined;
  if (other === undefined) return true;
  ctx.report(
    'E_EXCLUSIVE',
    [...AT, 'dockerfileInline'],
    `cannot be used with ${other}: ` +
      (remote && raw.dockerfile === undefined
        ? 'the engine reads the Dockerfile of a remote context from what it fetches'
        : 'declare the Dockerfile either inline or as a file'),
  );
  return false;
}

function remoteBuild(
  raw: RawBuild,
  args: Record<string, string>,
  ctx: NormaliseContext,
): ImageBuild | undefined {
  const problem = remoteContextProblem(raw.context);
  if (problem !== undefined) {
    ctx.report('E_URL', [...AT, 'context'], problem);
    return undefined;
  }
  const dockerfile = raw.dockerfile ?? 'Dockerfile';
  const contentHash = remoteContentHash(raw.context, dockerfile);
  return { context: raw.context, remote: true, dockerfile, args, contentHash };
}

async function localBuild(
  raw: RawBuild,
  args: Record<string, string>,
  ctx: NormaliseContext,
): Promise<ImageBuild | undefined> {
  const context = resolveManifestPath(ctx.baseDir, raw.context);
  const inline = raw.dockerfileInline;
  const dockerfile = inline === undefined ? (raw.dockerfile ?? 'Dockerfile') : INLINE_DOCKERFILE;
  // An inline Dockerfile still needs the context folder; a file Dockerfile must be in it.
  const needed = inline === undefined ? join(context, dockerfile) : context;
  // The context is sent to the engine and COPY puts any of it into an image: it is judged as a
  // host path, as is a Dockerfile outside it (F101: `context: /etc` put the host's shadow file
  // into an image under baseline).
  if (refuseHostPath(context, [...AT, 'context'], ctx)) return undefined;
  if (inline === undefined && refuseHostPath(needed, [...AT, 'dockerfile'], ctx)) return undefined;
  try {
    await access(needed);
  } catch {
    ctx.report(
      'E_IO',
      [...AT, raw.dockerfile ? 'dockerfile' : 'context'],
      inline === undefined
        ? `has no ${dockerfile} (looked in ${context})`
        : `is no folder berth can read (${context})`,
    );
    return undefined;
  }
  const contentHash = await buildContentHash(context, dockerfile, inline);
  return {
    context,
    dockerfile,
    args,
    contentHash,
    ...(inline !== undefined && { dockerfileInline: inline }),
  };
}

/**
 * `build.secrets`: each value read now (a missing file or an unset variable is
 * E_SECRET_SOURCE at its entry), kept in memory by digest; the value never enters a message.
 */
async function buildSecrets(
  raw: NonNullable<RawBuild['secrets']>,
  ctx: NormaliseContext,
  env: NodeJS.ProcessEnv,
): Promise<{ id: string; digest: string }[]> {
  return Promise.all(
    raw.map(async (secret, index) => {
      const at = [...AT, 'secrets', index];
      let bytes: Buffer | undefined;
      if (secret.file !== undefined) {
        const file = resolveManifestPath(ctx.baseDir, secret.file);
        if (refuseHostPath(file, [...at, 'file'], ctx)) return { id: secret.id, digest: '' };
        bytes = await readFile(file).catch((e: NodeJS.ErrnoException) => {
          ctx.report('E_SECRET_SOURCE', [...at, 'file'], `${file} ${ioReason(e)}`);
          return undefined;
        });
      } else if (secret.env !== undefined) {
        const value = env[secret.env];
        if (value === undefined)
          ctx.report(
            'E_SECRET_SOURCE',
            [...at, 'env'],
            `names ${secret.env}, which is set neither in berth's environment nor in the env file`,
          );
        bytes = Buffer.from(value ?? '', 'utf8');
      }
      return { id: secret.id, digest: bytes ? rememberValue(bytes, 'secret') : '' };
    }),
  );
}
