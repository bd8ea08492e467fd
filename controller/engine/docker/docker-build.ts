import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import { packBuildContext } from './docker-build-context.js';
import { withDockerfileInContext, withInlineDockerfile } from './docker-build-dockerfile.js';
import { FRONTEND_BUILD_ARG, withoutFrontend } from './docker-build-frontend.js';
import { BUILDKIT_TRACE_ID, BuildKitStatus } from './docker-buildkit-status.js';
import { openSecretSession } from './docker-build-session.js';
import { jsonLines } from './docker-events.js';
import { engineMessage, isUnreachable, unreachableError } from './docker-errors.js';
import { inspectImage } from './docker-images.js';
import { buildLabelsQuery, buildThroughLibpod } from './docker-podman-build.js';
import { cacheFromQuery } from './docker-build-cache.js';
import { EngineError } from '../engine.js';
import type { ImageBuildRequest, Labels, ObservedImage, ProgressListener } from '../engine.js';

/**
 * Builds of the Docker adapter. The engine's BuildKit is used where it has one (POST /build
 * with `version=2`: `RUN --mount=type=cache|tmpfs|bind`, parallel stages), the legacy builder
 * where the engine answers that it has none. The context is the tar berth packs, or a remote
 * context (git, http) the engine fetches itself; no `# syntax=` frontend is ever asked for
 * (it would be pulled from a registry).
 */

/** How many lines of build output a failure carries (DESIGN "Images"). */
export const FAILURE_LINES = 20;

/**
 * The builder version (POST /build `version`). A number on purpose: dockerode opens a BuildKit
 * session for the string "2", and that session was seldom active when the engine (20.10)
 * looked for it ("no active session …: context deadline exceeded" after seconds); berth
 * needs none for the context it uploads; build secrets get a session of berth's own
 * (docker-build-session.ts).
 */
type Builder = 2 | 1;

/** One JSON line of a build stream. */
interface BuildLine {
  id?: string;
  aux?: unknown;
  stream?: string;
  status?: string;
  error?: string;
  errorDetail?: { message?: string };
}

/** How a build is run: its progress, the engine's flavour, its cancellation. */
export interface BuildOptions {
  onProgress?: ProgressListener | undefined;
  /** The engine is Podman, which wants the labels in its own form (docker-podman-build.ts). */
  podman?: boolean | undefined;
  /**
   * Aborted: the build's request is closed, so the engine cancels the build (no image is
   * tagged), and the build rejects with E_IMAGE_BUILD saying so (Ctrl-C during apply, F194).
   */
  signal?: AbortSignal | undefined;
}

/**
 * Builds `request` and returns the image; a failed build is E_IMAGE_BUILD with its output's
 * tail.
 */
export async function buildImage(
  docker: Dockerode,
  address: string,
  request: ImageBuildRequest,
  options: BuildOptions = {},
): Promise<ObservedImage> {
  const { onProgress, signal } = options;
  const podman = Boolean(options.podman);
  const run = async (version: Builder) => {
    const outcome = await runBuild(docker, address, request, version, onProgress, podman, signal);
    if (signal?.aborted) throw cancelled(request.tag, signal);
    return outcome;
  };
  let outcome = (await legacyFits(request)) ? await run(1) : await run(2);
  const legacyBecause = legacyReason(outcome, request);
  if (legacyBecause !== undefined) {
    onProgress?.(`${legacyBecause}: using the legacy builder`);
    outcome = await run(1);
  }
  const failure = outcome.refused ?? outcome.error;
  if (failure !== undefined) {
    const hint = (await syntaxHint(request, failure)) || sessionHint(failure);
    const tail = outcome.lines.length ? `\n${outcome.lines.join('\n')}` : '';
    throw new EngineError(
      'E_IMAGE_BUILD',
      `cannot build ${request.tag}: ${failure}${hint}${tail}`,
      {
        operation: 'build',
        target: request.tag,
      },
    );
  }
  const image = await inspectImage(docker, address, request.tag);
  if (!image)
    throw new EngineError('E_IMAGE_BUILD', `build of ${request.tag} left no image`, {
      operation: 'build',
    });
  return image;
}

interface BuildOutcome {
  /** The engine refused the request itself (an HTTP error, no build ran). */
  refused?: string;
  /** The build ran and failed (the stream's error line). */
  error?: string;
  /** The last FAILURE_LINES lines of output. */
  lines: string[];
}

/** The error of a build cut short by `signal` (its reason's message is said). */
function cancelled(tag: string, signal: AbortSignal): EngineError {
  const reason: unknown = signal.reason;
  const why = reason instanceof Error ? `: ${reason.message}` : '';
  return new EngineError('E_IMAGE_BUILD', `build of ${tag} cancelled${why}`, {
    operation: 'build',
    target: tag,
    cause: reason,
  });
}

async function runBuild(
  docker: Dockerode,
  address: string,
  request: ImageBuildRequest,
  version: Builder,
  onProgress: ProgressListener | undefined,
  podman: boolean,
  signal: AbortSignal | undefined,
): Promise<BuildOutcome> {
  const lines: string[] = [];
  const secrets = version === 2 && request.secrets ? request.secrets : undefined;
  const session = secrets ? await openSecretSession(docker, secrets) : undefined;
  try {
    return await streamBuild(
      docker,
      address,
      request,
      podman,
      version,
      onProgress,
      lines,
      session?.id,
      signal,
    );
  } finally {
    session?.close();
  }
}

async function streamBuild(
  docker: Dockerode,
  address: string,
  request: ImageBuildRequest,
  podman: boolean,
  version: Builder,
  onProgress: ProgressListener | undefined,
  lines: string[],
  session: string | undefined,
  signal: AbortSignal | undefined,
): Promise<BuildOutcome> {
  if (signal?.aborted) return { refused: 'cancelled', lines };
  const { replaced, args } = await withoutFrontendRequest(request, onProgress);
  const labels = buildLabelsQuery(request.labels, podman);
  // Podman fetches a remote context only for its own endpoint (docker-podman-build.ts, F167).
  const send = podman && request.remote !== undefined ? buildThroughLibpod : dockerBuild;
  let stream: NodeJS.ReadableStream;
  try {
    const sent = await sentContext(request, version, replaced);
    stream = await send(docker, sent.body, {
      t: request.tag,
      ...(request.remote !== undefined && { remote: request.remote }),
      dockerfile: sent.dockerfile,
      buildargs: args,
      // A JSON string on Podman (docker-podman-build.ts); dockerode's types want the object.
      labels: labels as Labels,
      ...(request.target ? { target: request.target } : {}),
      ...cacheFromQuery(request.cacheFrom),
      ...(session ? { session } : {}),
      // A number where dockerode's types say "1" | "2": see Builder.
      version: version as unknown as '1',
      // Legacy builder: leave no intermediate containers behind, even when the build fails.
      rm: true,
      forcerm: true,
      // Closing the request is what makes the engine cancel the build.
      ...(signal ? { abortSignal: signal } : {}),
    });
  } catch (e) {
    if (signal?.aborted) return { refused: 'cancelled', lines };
    if (isUnreachable(e)) throw unreachableError(address, e, 'build');
    return { refused: engineMessage(e), lines };
  }
  const error = await follow(
    stream,
    (line) => {
      lines.push(line);
      if (lines.length > FAILURE_LINES) lines.shift();
      onProgress?.(line);
    },
    signal,
  );
  return { ...(error !== undefined && { error }), lines };
}

/** Docker's `POST /build`, through dockerode. */
async function dockerBuild(
  docker: Dockerode,
  body: NodeJS.ReadableStream,
  options: Dockerode.ImageBuildOptions,
): Promise<NodeJS.ReadableStream> {
  return (await docker.buildImage(body, options)) as NodeJS.ReadableStream;
}

/**
 * What the build uploads: the tar of the context's files (the Dockerfile inside it, see
 * docker-build-dockerfile.ts) and the name the `dockerfile` parameter gives; nothing for a
 * remote context, whose Dockerfile the engine reads from what it fetches.
 */
async function sentContext(
  request: ImageBuildRequest,
  version: Builder,
  replaced: Map<string, Buffer>,
): Promise<{ body: NodeJS.ReadableStream; dockerfile: string }> {
  // An empty body: without one, dockerode would send the options as a JSON body instead.
  if (request.remote !== undefined)
    return { body: Readable.from([Buffer.alloc(0)]), dockerfile: request.dockerfile };
  // BuildKit does not apply .dockerignore to an uploaded context (berth filtered it already).
  const files =
    version === 2 && request.builderOnly?.includes('.dockerignore')
      ? request.files.filter((f) => f !== '.dockerignore')
      : request.files;
  const sent = await withDockerfileInContext(
    request.contextDir,
    request.dockerfile,
    request.dockerfileInline === undefined
      ? files
      : withInlineDockerfile(files, request.dockerfile),
    replaced,
  );
  return {
    body: Readable.from(packBuildContext(request.contextDir, sent.files, sent.replaced)),
    dockerfile: sent.dockerfile,
  };
}

/**
 * Follows a build stream to its end: legacy `stream` lines and BuildKit status messages
 * (decoded) go to `onLine`; returns the stream's error line, if any. Rejects only when the
 * stream itself breaks. `signal` aborted: the stream is let go at once and the follow ends
 * (a destroyed response need not emit `end` or `error`).
 */
function follow(
  stream: NodeJS.ReadableStream,
  onLine: (line: string) => void,
  signal?: AbortSignal,
): Promise<string | undefined> {
  const status = new BuildKitStatus();
  return new Promise((resolve, reject) => {
    const stop = () => {
      (stream as Partial<Readable>).destroy?.();
      resolve('cancelled');
    };
    if (signal?.aborted) return stop();
    signal?.addEventListener('abort', stop, { once: true });
    let error: string | undefined;
    const lines = jsonLines((value) => {
      const line = value as BuildLine;
      const failure = line.errorDetail?.message ?? line.error;
      if (failure !== undefined) error ??= failure.trim();
      else if (line.id === BUILDKIT_TRACE_ID && typeof line.aux === 'string')
        status.lines(line.aux).forEach(onLine);
      else
        for (const text of (line.stream ?? line.status ?? '').split('\n'))
          if (text.trim()) onLine(text.trimEnd());
    });
    stream.on('data', (chunk: Buffer | string) => lines.push(chunk));
    stream.on('error', reject);
    stream.on('end', () => {
      lines.end();
      resolve(error);
    });
  });
}

/**
 * BuildKit reads the Dockerfile from the uploaded context and so leaves it in: a Dockerfile
 * that `.dockerignore` lists would land in the image (`COPY .`), where the legacy builder
 * drops it as docker does. Such a build uses the legacy builder, unless its Dockerfile needs
 * BuildKit (`RUN --mount`).
 */
async function legacyFits(request: ImageBuildRequest): Promise<boolean> {
  if (request.secrets && Object.keys(request.secrets).length) return false;
  const dockerfile = request.builderOnly?.find((f) => f !== '.dockerignore');
  if (dockerfile === undefined) return false;
  return !/--mount=/.test(await dockerfileText(request));
}

/**
 * Why a BuildKit build is run again by the legacy builder, if it is: the engine has no
 * BuildKit (Windows, very old or other engines), or its BuildKit cannot build a subfolder of a
 * git repository (`#ref:subdir`: "subdir not supported yet" on Engine 20.10), which the
 * legacy builder clones and builds.
 */
function legacyReason(outcome: BuildOutcome, request: ImageBuildRequest): string | undefined {
  const { refused, error } = outcome;
  if (refused !== undefined && /buildkit|builder version|invalid version/i.test(refused))
    return `the engine has no BuildKit (${refused})`;
  if (request.remote !== undefined && error !== undefined && /subdir not supported/i.test(error))
    return `the engine's BuildKit cannot build a folder of a git repository (${error})`;
  return undefined;
}

/**
 * Heredocs and `COPY --link` need Dockerfile syntax 1.4; an engine whose built-in frontend is
 * older fails with a bare parse error. Names the cause, and why berth adds no `# syntax=` line.
 */
async function syntaxHint(request: ImageBuildRequest, failure: string): Promise<string> {
  if (!/dockerfile parse error|unknown flag: link|unknown instruction/i.test(failure)) return '';
  const text = await dockerfileText(request);
  const uses = [
    /^\s*(RUN|COPY|ADD)\b[^\n]*<<-?["']?[A-Za-z_]/im.test(text) && 'a heredoc',
    /^\s*(COPY|ADD)\b[^\n]*--link\b/im.test(text) && 'COPY --link',
  ].filter(Boolean);
  if (uses.length === 0) return '';
  return (
    ` (${uses.join(' and ')} ${uses.length > 1 ? 'need' : 'needs'} Dockerfile syntax 1.4, which this engine's built-in BuildKit ` +
    `frontend lacks; a "# syntax=" line would pull a newer frontend from a registry, which berth ` +
    `never does: write the step without it, or use a newer engine)`
  );
}

/**
 * A `RUN --mount=type=secret|ssh` asks the client for the value over a BuildKit session;
 * berth opens one only for the secrets the Image declares (`build.secrets`) and never
 * forwards an SSH agent, so any other such step fails: said plainly.
 */
function sessionHint(failure: string): string {
  return /no active sessions?|secret \S+ not found|ssh agent/i.test(failure)
    ? " (a RUN --mount=type=secret needs its id declared under the Image's build.secrets; type=ssh is not supported: berth forwards no SSH agent)"
    : '';
}

/**
 * The Dockerfile's text as berth knows it: inline, or read from the context; '' for a remote
 * context (the engine reads that one; a `# syntax=` line in it cannot be left out by berth).
 */
async function dockerfileText(request: ImageBuildRequest): Promise<string> {
  if (request.dockerfileInline !== undefined) return request.dockerfileInline;
  if (request.remote !== undefined) return '';
  return readFile(join(request.contextDir, request.dockerfile), 'utf8').catch(() => '');
}

/**
 * The Dockerfile and build arguments as sent: a `# syntax=` directive turned into a comment and
 * `BUILDKIT_SYNTAX` left out, each said once through `onProgress`, so the engine never pulls a
 * frontend image (docker-build-frontend.ts).
 */
async function withoutFrontendRequest(
  request: ImageBuildRequest,
  onProgress: ProgressListener | undefined,
): Promise<{ replaced: Map<string, Buffer>; args: Record<string, string> }> {
  const replaced = new Map<string, Buffer>();
  const text = await dockerfileText(request);
  const stripped = withoutFrontend(text);
  // An inline Dockerfile is sent as content of its own, whether stripped or not.
  if (request.dockerfileInline !== undefined) replaced.set(request.dockerfile, Buffer.from(text));
  if (stripped) {
    replaced.set(request.dockerfile, Buffer.from(stripped.text));
    onProgress?.(
      `${request.dockerfile}:${stripped.directive.line}: "# syntax=${stripped.directive.image}" not pulled: the engine's built-in Dockerfile frontend builds it`,
    );
  }
  let args = request.args;
  if (args?.[FRONTEND_BUILD_ARG] !== undefined) {
    const { [FRONTEND_BUILD_ARG]: frontend, ...rest } = args;
    args = rest;
    onProgress?.(
      `build argument ${FRONTEND_BUILD_ARG}=${frontend} left out: the engine's built-in frontend builds it`,
    );
  }
  return { replaced, args };
}
