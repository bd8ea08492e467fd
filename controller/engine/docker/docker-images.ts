import type Dockerode from 'dockerode';
import type { DockerReads } from './docker-reads.js';
import { EngineError } from '../engine.js';
import type { ObservedImage, ProgressListener, RegistryAuth } from '../engine.js';
import {
  engineMessage,
  isUnreachable,
  pullReason,
  statusOf,
  toEngineError,
  unreachableError,
} from './docker-errors.js';
import { fromImage, splitRef } from './docker-mapping.js';
import { followProgress } from './docker-progress.js';
import { plainHttpQuery, pullOverPlainHttp } from './docker-podman-registry.js';

/** Image operations of the Docker adapter: inspect, pull, remove (builds: docker-build.ts). */

export async function inspectImage(
  docker: Pick<Dockerode, 'getImage'> | DockerReads,
  address: string,
  ref: string,
): Promise<ObservedImage | undefined> {
  try {
    return fromImage(await docker.getImage(ref).inspect());
  } catch (e) {
    if (statusOf(e) === 404) return undefined;
    throw toEngineError(e, address, 'inspect image', ref);
  }
}

/**
 * Pulls `ref` and follows the stream to its end. The engine reports most registry failures
 * inside a 200 stream, some as the HTTP answer; both become E_IMAGE_PULL naming the ref
 * and the reason (unauthorized, not found, registry unreachable). On Podman a loopback
 * registry is reached over plain HTTP, as Docker does by itself (docker-podman-registry.ts).
 */
export async function pullImage(
  docker: Dockerode,
  address: string,
  ref: string,
  auth: RegistryAuth | undefined,
  onProgress: ProgressListener | undefined,
  podman: boolean,
): Promise<ObservedImage> {
  const { repo, tag } = splitRef(ref);
  let failure: string | undefined;
  try {
    const stream =
      plainHttpQuery(ref, podman).tlsVerify === false
        ? await pullOverPlainHttp(docker, ref, auth)
        : ((await docker.createImage(auth ?? {}, {
            fromImage: repo,
            tag,
          })) as NodeJS.ReadableStream);
    failure = (await followProgress(stream, onProgress)).error;
  } catch (e) {
    if (isUnreachable(e)) throw unreachableError(address, e, 'pull');
    failure = engineMessage(e);
  }
  if (failure !== undefined) throw pullError(ref, failure);
  const image = await inspectImage(docker, address, ref);
  if (!image) throw pullError(ref, 'the engine reported success but has no such image');
  return image;
}

function pullError(ref: string, message: string): EngineError {
  return new EngineError(
    'E_IMAGE_PULL',
    `cannot pull ${ref}: ${pullReason(message)} (${message})`,
    {
      operation: 'pull',
      target: ref,
    },
  );
}

/**
 * Removes (untags) an image; already gone is `changed: false`, in use is E_CONFLICT whose
 * `detail.usedBy` names the containers that use it (one list call, on the conflict only).
 */
export async function removeImage(
  docker: Dockerode,
  address: string,
  ref: string,
): Promise<{ changed: boolean }> {
  try {
    await docker.getImage(ref).remove();
    return { changed: true };
  } catch (e) {
    if (statusOf(e) === 404) return { changed: false };
    const error = toEngineError(e, address, 'remove image', ref);
    if (statusOf(e) !== 409 || !error.detail) throw error;
    const usedBy = await imageUsers(docker, ref);
    throw new EngineError(error.code, error.message, { ...error.detail, usedBy });
  }
}

/** Engine names of the containers (any state) made from image `ref`; [] when unreadable. */
async function imageUsers(docker: Dockerode, ref: string): Promise<string[]> {
  try {
    const found = await docker.listContainers({
      all: true,
      filters: JSON.stringify({ ancestor: [ref] }),
    });
    return found.map((c) => (c.Names[0] ?? c.Id).replace(/^\//, '')).sort();
  } catch {
    return [];
  }
}

/** `POST /images/{source}/tag`: gives the image one more reference. */
export async function tagImage(
  docker: Dockerode,
  address: string,
  source: string,
  ref: string,
): Promise<{ changed: boolean }> {
  const { repo, tag } = splitRef(ref);
  try {
    await docker.getImage(source).tag({ repo, tag });
    return { changed: true };
  } catch (e) {
    if (statusOf(e) === 404)
      throw new EngineError('E_IMAGE_PUSH', `cannot tag ${source} as ${ref}: no such image`, {
        operation: 'tag',
        target: source,
      });
    throw toEngineError(e, address, 'tag image', source);
  }
}

/**
 * `POST /images/{repo}/push?tag=`: follows the progress stream to its end. As with pulls,
 * the engine reports registry failures inside a 200 stream or as the HTTP answer; both
 * become E_IMAGE_PUSH naming the ref and the reason. The digest is the one the stream
 * reports the registry took; without one, it is read back from the image's RepoDigests
 * (Docker records the pushed digest there; Podman lists every digest the image has under
 * every name, so there it could be another one, hence the stream first).
 * On Podman a loopback registry is reached over plain HTTP (`tlsVerify=false`, which its
 * Docker-compatible push takes), as Docker does by itself (docker-podman-registry.ts).
 */
export async function pushImage(
  docker: Dockerode,
  address: string,
  ref: string,
  auth: RegistryAuth | undefined,
  onProgress: ProgressListener | undefined,
  podman: boolean,
): Promise<{ digest?: string }> {
  const { repo, tag } = splitRef(ref);
  let progress: { error?: string; digest?: string };
  try {
    // An empty X-Registry-Auth (`{}`) is what the docker CLI sends for an anonymous push.
    const stream = (await docker.getImage(repo).push({
      tag,
      authconfig: auth ?? {},
      ...plainHttpQuery(ref, podman),
    })) as NodeJS.ReadableStream;
    progress = await followProgress(stream, onProgress);
  } catch (e) {
    if (isUnreachable(e)) throw unreachableError(address, e, 'push');
    progress = { error: statusOf(e) === 404 ? `no such local image ${ref}` : engineMessage(e) };
  }
  const failure = progress.error;
  if (failure !== undefined)
    throw new EngineError(
      'E_IMAGE_PUSH',
      `cannot push ${ref}: ${pullReason(failure)} (${failure})`,
      { operation: 'push', target: ref },
    );
  if (progress.digest !== undefined) return { digest: progress.digest };
  const image = await inspectImage(docker, address, ref);
  const digest = image?.repoDigests.find((d) => d.startsWith(`${repo}@`))?.split('@')[1];
  return digest === undefined ? {} : { digest };
}
