import { stat } from 'node:fs/promises';
import { basename, dirname, posix } from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import type { ObservedContainer } from '../../engine/engine.js';
import type { EngineStreams } from '../../engine/engine-streams.js';
import { BerthError, formatError, toBerthError } from '../../errors.js';
import type { CliContext, CommonOptions } from '../context.js';
import { packPath, unpackTar } from '../cp-local.js';
import {
  connectStreams,
  firstContainer,
  listByName,
  missingContainer,
  namesFor,
} from '../project-containers.js';
import { resolveProjectName } from '../project-name.js';

/** One side of a copy: a declared container's path, a local path, or `-` (a tar stream). */
export type CopyEnd = { container: string; path: string } | { local: string };

/**
 * Docker's rule: `NAME:PATH` names a container unless the text starts like a local path
 * (`/`, `.`) — so `./a:b` and `/tmp/x:y` stay local.
 */
export function parseCopyEnd(text: string): CopyEnd {
  const colon = text.indexOf(':');
  if (colon <= 0 || text.startsWith('/') || text.startsWith('.')) return { local: text };
  return { container: text.slice(0, colon), path: text.slice(colon + 1) || '/' };
}

/**
 * `berth cp NAME:PATH LOCAL` / `berth cp LOCAL NAME:PATH`: files and folders through the
 * engine's archive API, modes kept; `-` reads or writes a tar stream. A replicated NAME is
 * copied into every replica, and out of the first (`NAME-<i>` names one), as in Compose. Exit 0, or 1 with
 * the reason (an unreachable engine stays 4).
 */
export async function run(
  ctx: CliContext,
  source: string,
  destination: string,
  options: CommonOptions,
): Promise<number> {
  const from = parseCopyEnd(source);
  const to = parseCopyEnd(destination);
  try {
    if ('container' in from === 'container' in to) {
      throw new BerthError(
        'E_USAGE',
        'cp copies between a container and the host: one side must be NAME:PATH',
      );
    }
    const project = resolveProjectName(options.project, [], ctx.cwd, ctx.env);
    const name = 'container' in from ? from.container : (to as { container: string }).container;
    const byName = await listByName(await ctx.engine(), project);
    if ('container' in from) {
      const container = firstContainer(byName, name);
      if (!container) throw await missingContainer(ctx, project, name, byName);
      await copyWith(ctx, await connectStreams(ctx), container.id, from, to);
      return 0;
    }
    const targets = namesFor(byName, name).map((n) => byName.get(n)!);
    if (targets.length === 0) throw await missingContainer(ctx, project, name, byName);
    await copyIntoEach(ctx, await connectStreams(ctx), targets, from, to);
    return 0;
  } catch (e) {
    const error = toBerthError(e);
    if (error.code === 'E_ENGINE_UNREACHABLE') throw error;
    ctx.stderr.write(formatError(error) + '\n');
    return 1;
  }
}

/**
 * Host → every container in `targets`: all the replicas of a replicated NAME, as `docker
 * compose cp` copies into every container of a service without `--index` (F550). A tar
 * stream on stdin is read once and sent to each.
 */
async function copyIntoEach(
  ctx: CliContext,
  streams: EngineStreams,
  targets: readonly ObservedContainer[],
  from: CopyEnd,
  to: CopyEnd,
): Promise<void> {
  const stdin = 'local' in from && from.local === '-' && targets.length > 1;
  const bytes = stdin ? await buffer(ctx.stdin) : undefined;
  for (const target of targets) {
    const each = bytes ? { ...ctx, stdin: Readable.from([bytes]) } : ctx;
    await copyWith(each, streams, target.id, from, to);
  }
}

/**
 * One copy between container `id` (reached through `streams`: berth's engine, or a Swarm
 * task's node) and the host; `from` and `to` are parsed ends, exactly one a container's.
 */
export async function copyWith(
  ctx: CliContext,
  streams: EngineStreams,
  id: string,
  from: CopyEnd,
  to: CopyEnd,
): Promise<void> {
  if ('container' in from) {
    const source = await streams.statPath(id, from.path);
    if (!source)
      throw new BerthError(
        'E_USAGE',
        `${from.container}:${from.path}: no such file or folder in the container`,
      );
    const local = (to as { local: string }).local;
    if (!source.isDirectory && local !== '-') await mustBeFolderIfSlashed(local, ctx);
    await copyOut(ctx, streams, id, from.path, local);
  } else await copyIn(ctx, streams, id, from.local, (to as { path: string }).path);
}

/**
 * docker cp's rule for a file: a destination written with a trailing `/` must be an existing
 * folder ("no such directory"; it wrote a file of that name, F268).
 */
async function mustBeFolderIfSlashed(local: string, ctx: CliContext): Promise<void> {
  if (!local.endsWith('/')) return;
  const target = await stat(posixOrLocal(ctx, local)).catch(() => undefined);
  if (!target?.isDirectory()) throw new BerthError('E_USAGE', `${local}: no such directory`);
}

/** Container → host. Into an existing local folder the item keeps its name; else it takes LOCAL's. */
async function copyOut(
  ctx: CliContext,
  streams: EngineStreams,
  id: string,
  path: string,
  local: string,
) {
  const tar = await streams.getArchive(id, path);
  if (local === '-') {
    await new Promise<void>((resolve, reject) => {
      tar.on('end', resolve);
      tar.on('error', reject);
      tar.on('data', (chunk: Buffer) => ctx.stdout.write(chunk));
    });
    return;
  }
  const target = posixOrLocal(ctx, local);
  const existing = await stat(target).catch(() => undefined);
  if (existing?.isDirectory()) return unpackTar(tar as AsyncIterable<Buffer>, target);
  const parent = await stat(dirname(target)).catch(() => undefined);
  if (!parent?.isDirectory())
    throw new BerthError('E_USAGE', `no folder ${dirname(target)} to copy into`);
  await unpackTar(tar as AsyncIterable<Buffer>, dirname(target), basename(target));
}

/** Host → container. Into an existing container folder the item keeps its name; else it takes PATH's. */
async function copyIn(
  ctx: CliContext,
  streams: EngineStreams,
  id: string,
  local: string,
  path: string,
) {
  if (local === '-') {
    await streams.putArchive(id, path, ctx.stdin);
    return;
  }
  const source = posixOrLocal(ctx, local);
  const sourceStat = await stat(source).catch(() => undefined);
  if (!sourceStat) throw new BerthError('E_USAGE', `no such local path ${source}`);
  const target = await streams.statPath(id, path);
  // docker cp's rule for a file, as on the way out (F268).
  if (path.endsWith('/') && !sourceStat.isDirectory() && !target?.isDirectory)
    throw new BerthError('E_USAGE', `${path}: no such directory in the container`);
  if (target?.isDirectory) {
    await streams.putArchive(id, path, Readable.from(packPath(source, basename(source))));
    return;
  }
  const parentPath = posix.dirname(path);
  const parent = await streams.statPath(id, parentPath);
  if (!parent?.isDirectory)
    throw new BerthError('E_USAGE', `no folder ${parentPath} in the container to copy into`);
  await streams.putArchive(id, parentPath, Readable.from(packPath(source, posix.basename(path))));
}

function posixOrLocal(ctx: CliContext, local: string): string {
  return local.startsWith('/') ? local : `${ctx.cwd}/${local}`;
}
