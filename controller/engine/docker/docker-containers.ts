import { EngineError } from '../engine.js';
import type { ContainerCreateRequest, ContainerSettingsUpdate, MutationResult } from '../engine.js';
import { call, mutate, type DockerCalls } from './docker-calls.js';
import { toCreateBody, toUpdateBody } from './docker-mapping.js';
import { nameHolder } from './docker-name-conflict.js';
import { connectEndpoint } from './docker-networks.js';
import { inspectContainer } from './docker-observe.js';

/** Creates the container on its first network, then connects the others before returning. */
export async function createContainer(
  d: DockerCalls,
  request: ContainerCreateRequest,
): Promise<{ id: string }> {
  // name and platform go in the query string; the body is the container's configuration.
  const query = { name: request.name, platform: request.platform };
  const created = await call(d, 'create container', request.name, () =>
    d.reads.send<{ Id: string }>('POST', '/containers/create', query, toCreateBody(request)),
  ).catch(async (e: EngineError) => {
    if (e.code !== 'E_CONFLICT') throw e;
    const holder = await nameHolder((name) => inspectContainer(d, name), request.name);
    throw new EngineError(e.code, e.message, { ...e.detail!, ...(holder ? { holder } : {}) });
  });
  for (const extra of request.networks.slice(1)) {
    await connectEndpoint(d, created.Id, extra);
  }
  return { id: created.Id };
}

export function startContainer(d: DockerCalls, id: string): Promise<MutationResult> {
  const path = `/containers/${encodeURIComponent(id)}/start`;
  return mutate(d, 'start', id, () => d.reads.send('POST', path), {}).catch((e: unknown) => {
    if (!(e instanceof EngineError)) throw e;
    const commandFailure = commandFailureOf(e.message);
    const staleTask = STALE_TASK.test(e.message);
    if (!commandFailure && !staleTask) throw e;
    throw new EngineError(e.code, e.message, {
      ...(e.detail ?? { operation: 'start' }),
      ...(commandFailure ? { commandFailure } : {}),
      ...(staleTask ? { staleTask } : {}),
    });
  });
}

/**
 * containerd's answer when a task of the same id survived an engine restart (seen on Docker
 * 20.10 after `dockerd` was stopped and started under load: every later start of that
 * container failed so, F766).
 */
const STALE_TASK = /\btask [0-9a-f]{12,}: already exists/;

/**
 * The runtime's words for a command it could not run, as the docker CLI reads them for its
 * exit codes 127 and 126 (docker/cli `runStartContainerErr`): "executable file not found" or
 * "no such file or directory"; "permission denied" or "is a directory".
 */
function commandFailureOf(message: string): 'not-found' | 'not-executable' | undefined {
  if (/executable file not found|no such file or directory/.test(message)) return 'not-found';
  if (/permission denied|is a directory/.test(message)) return 'not-executable';
  return undefined;
}

/** Podman cannot stop a paused container ("refusing to clean up"): it is unpaused first. */
export async function stopContainer(
  d: DockerCalls,
  id: string,
  timeoutSec?: number,
): Promise<MutationResult> {
  // Without `t` the engine waits the container's own StopTimeout (its stopGracePeriod).
  const options = timeoutSec === undefined ? {} : { t: timeoutSec };
  const stop = () =>
    mutate(d, 'stop', id, async () => (await d.full()).getContainer(id).stop(options), {
      goneIsDone: true,
    });
  try {
    return await stop();
  } catch (e) {
    if (!(e instanceof EngineError) || !/refusing to clean up/.test(e.message)) throw e;
    await unpauseContainer(d, id);
    await stop();
    return { changed: true };
  }
}

/**
 * Sends `signal`. On Podman through libpod's `/libpod/containers/{id}/kill`, which answers at
 * once: its Docker-compatible kill with SIGKILL answers only once a 250 ms poll has seen the
 * container stopped, ~20 s late when it runs again within that time (F390, ENGINE-NOTES.md).
 */
export async function killContainer(
  d: DockerCalls,
  id: string,
  signal: string,
): Promise<MutationResult> {
  const podman = await d.podman();
  const path = `/v4.0.0/libpod/containers/${encodeURIComponent(id)}/kill`;
  const kill = podman
    ? () => d.reads.send('POST', path, { signal })
    : async () => (await d.full()).getContainer(id).kill({ signal });
  return mutate(d, 'kill', id, kill, {
    goneIsDone: true,
    // Podman: "can only kill running containers".
    alreadyDone: /is not running|can only kill running/,
  });
}

export function pauseContainer(d: DockerCalls, id: string): Promise<MutationResult> {
  return mutate(d, 'pause', id, async () => (await d.full()).getContainer(id).pause(), {
    alreadyDone: /is already paused/,
  });
}

export function unpauseContainer(d: DockerCalls, id: string): Promise<MutationResult> {
  return mutate(d, 'unpause', id, async () => (await d.full()).getContainer(id).unpause(), {
    alreadyDone: /is not paused/,
  });
}

/**
 * Force-removes; anonymous volumes stay (`v: false`) and named volumes are never touched.
 * On Podman the process is killed first: its forced removal of a container whose stop is
 * still waiting out the grace period (a process that ignores SIGTERM) answers at once but
 * leaves the process and that stop running to the end of the period (`berth run --rm`'s
 * second signal waited 10 s); Docker's forced removal kills it.
 */
export async function removeContainer(d: DockerCalls, id: string): Promise<MutationResult> {
  // Not running (exited, created, paused) or gone: the removal below says what it is.
  if (await d.podman()) await killContainer(d, id, 'SIGKILL').catch(() => undefined);
  return mutate(
    d,
    'remove',
    id,
    async () => (await d.full()).getContainer(id).remove({ force: true, v: false }),
    {
      goneIsDone: true,
      alreadyDone: /removal of container .* is already in progress/,
    },
  );
}

/** `POST /containers/{id}/update`: the settings given, in place; the container keeps running. */
export function updateContainer(
  d: DockerCalls,
  id: string,
  settings: ContainerSettingsUpdate,
): Promise<MutationResult> {
  const path = `/containers/${encodeURIComponent(id)}/update`;
  return mutate(d, 'update', id, () => d.reads.send('POST', path, {}, toUpdateBody(settings)), {});
}

export function renameContainer(d: DockerCalls, id: string, name: string): Promise<MutationResult> {
  return mutate(d, 'rename', id, async () => (await d.full()).getContainer(id).rename({ name }), {
    alreadyDone: /same name as its current name/,
  });
}
