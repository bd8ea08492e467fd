import { createHash } from 'node:crypto';
import type {
  ImageBuildRequest,
  MutationResult,
  NetworkCreateRequest,
  ObservedImage,
  VolumeCreateRequest,
} from '../engine.js';
import { EngineError } from '../engine.js';
import { networkEvent } from './memory-containers.js';
import type { MemImage, MemoryWorld } from './memory-world.js';
import { conflict, normaliseTag, notFound } from './memory-world.js';

/** Networks, volumes and images of MemoryEngine, with the Docker engine's answers. */

export function createNetwork(world: MemoryWorld, req: NetworkCreateRequest): { id: string } {
  if (world.findNetwork(req.name)?.name === req.name) {
    throw conflict('create network', req.name, `network with name ${req.name} already exists`);
  }
  const id = world.newId(`network:${req.name}`);
  world.networks.set(id, {
    id,
    name: req.name,
    labels: { ...req.labels },
    driver: req.driver,
    createdAt: world.now(),
  });
  networkEvent(world, id, 'create');
  return { id };
}

/**
 * A network with live endpoints cannot go (E_CONFLICT naming them in `detail.usedBy`, as the
 * Docker adapter does); stopped members are detached.
 */
export function removeNetwork(world: MemoryWorld, ref: string): MutationResult {
  const n = world.findNetwork(ref);
  if (!n) return { changed: false };
  const members = [...world.containers.values()].filter((c) => c.networks.has(n.name));
  const live = members.filter(
    (c) => c.state === 'running' || c.state === 'paused' || c.state === 'restarting',
  );
  if (live.length) {
    const error = conflict(
      'remove network',
      ref,
      `error while removing network: network ${n.name} id ${n.id} has active endpoints`,
    );
    const usedBy = live.map((c) => c.name).sort();
    throw new EngineError(error.code, error.message, {
      ...error.detail,
      operation: 'remove network',
      usedBy,
    });
  }
  for (const c of members) c.networks.delete(n.name);
  networkEvent(world, n.id, 'destroy');
  world.networks.delete(n.id);
  return { changed: true };
}

export function connectNetwork(
  world: MemoryWorld,
  network: string,
  container: string,
  aliases: string[],
): MutationResult {
  const n = world.findNetwork(network);
  if (!n) throw notFound('connect network', network, `network ${network} not found`);
  const c = world.mustFindContainer(container, 'connect network');
  if (c.networks.has(n.name)) return { changed: false };
  c.networks.set(n.name, [...aliases]);
  networkEvent(world, n.id, 'connect', c.id);
  return { changed: true };
}

export function disconnectNetwork(
  world: MemoryWorld,
  network: string,
  container: string,
): MutationResult {
  const n = world.findNetwork(network);
  if (!n) throw notFound('disconnect network', network, `network ${network} not found`);
  const c = world.mustFindContainer(container, 'disconnect network');
  if (!c.networks.delete(n.name)) return { changed: false };
  networkEvent(world, n.id, 'disconnect', c.id);
  return { changed: true };
}

/** Like the engine, creating an existing volume answers with the existing one. */
export function createVolume(world: MemoryWorld, req: VolumeCreateRequest): { name: string } {
  if (world.volumes.has(req.name)) return { name: req.name };
  world.volumes.set(req.name, {
    name: req.name,
    labels: { ...req.labels },
    driver: req.driver,
    mountpoint: `/var/lib/docker/volumes/${req.name}/_data`,
    createdAt: world.now(),
  });
  volumeEvent(world, req.name, 'create', req.driver);
  return { name: req.name };
}

export function removeVolume(world: MemoryWorld, name: string): MutationResult {
  const v = world.volumes.get(name);
  if (!v) return { changed: false };
  const user = [...world.containers.values()].find((c) =>
    c.request.mounts.some((m) => m.type === 'volume' && m.source === name),
  );
  if (user) throw conflict('remove volume', name, `volume is in use - [${user.id}]`);
  world.volumes.delete(name);
  volumeEvent(world, name, 'destroy', v.driver);
  return { changed: true };
}

function volumeEvent(world: MemoryWorld, name: string, action: string, driver: string): void {
  world.emit({ type: 'volume', action, id: name, name, labels: {}, attributes: { driver } });
}

/** Puts an image under `ref`, moving the tag off any image that had it (that one goes `<none>`). */
export function tagImage(
  world: MemoryWorld,
  ref: string,
  id: string,
  labels: Record<string, string> = {},
): MemImage {
  const tag = normaliseTag(ref);
  for (const other of world.images.values())
    other.repoTags = other.repoTags.filter((t) => t !== tag);
  const imageId = id.startsWith('sha256:') ? id : `sha256:${id}`;
  const image = world.images.get(imageId) ?? {
    id: imageId,
    repoTags: [],
    repoDigests: [],
    labels: { ...labels },
    createdAt: world.now(),
  };
  if (!tag.includes('@')) image.repoTags.push(tag);
  world.images.set(imageId, image);
  return image;
}

export function toObservedImage(i: MemImage): ObservedImage {
  return {
    id: i.id,
    repoTags: [...i.repoTags],
    repoDigests: [...i.repoDigests],
    labels: { ...i.labels },
    createdAt: i.createdAt,
  };
}

/** Pulls from the seeded registry; an unknown ref fails like an unreachable registry. */
export function pullImage(
  world: MemoryWorld,
  registry: ReadonlyMap<string, string>,
  ref: string,
): ObservedImage {
  const id = registry.get(ref) ?? registry.get(normaliseTag(ref));
  if (id === undefined) {
    throw new EngineError(
      'E_IMAGE_PULL',
      `cannot pull ${ref}: registry unreachable (no registry in the memory engine has it)`,
      {
        operation: 'pull',
        target: ref,
      },
    );
  }
  const image = tagImage(world, ref, id);
  const repo = normaliseTag(ref).replace(/(:[^:/@]+)?(@.*)?$/, '');
  const digest = `${repo}@sha256:${createHash('sha256').update(id).digest('hex')}`;
  if (!image.repoDigests.includes(digest)) image.repoDigests.push(digest);
  return toObservedImage(image);
}

/**
 * The same request builds the same image id, as the engine's cache makes it. A remote context
 * or an inline Dockerfile brings its own Dockerfile; otherwise it must be among the files.
 */
export function buildImage(world: MemoryWorld, req: ImageBuildRequest): ObservedImage {
  const brought = req.remote !== undefined || req.dockerfileInline !== undefined;
  if (!brought && !req.files.includes(req.dockerfile)) {
    throw new EngineError(
      'E_IMAGE_BUILD',
      `cannot build ${req.tag}: Cannot locate specified Dockerfile: ${req.dockerfile}`,
      {
        operation: 'build',
        target: req.tag,
      },
    );
  }
  // Cache sources make a build faster on a real engine, never another image.
  const { tag: _tag, cacheFrom: _cacheFrom, ...content } = req;
  const id = createHash('sha256').update(JSON.stringify(content)).digest('hex');
  return toObservedImage(tagImage(world, req.tag, id, req.labels));
}

/** Untags `ref`; the image itself goes with its last tag. In use by a container: E_CONFLICT. */
export function removeImage(world: MemoryWorld, ref: string): MutationResult {
  const image = world.findImage(ref);
  if (!image) return { changed: false };
  const tag = normaliseTag(ref);
  if (image.repoTags.includes(tag) && image.repoTags.length > 1) {
    image.repoTags = image.repoTags.filter((t) => t !== tag);
    return { changed: true };
  }
  const users = [...world.containers.values()].filter((c) => c.imageId === image.id);
  const user = users[0];
  if (user) {
    const error = conflict(
      'remove image',
      ref,
      `unable to remove repository reference "${ref}" (must force) - container ${user.id} is using its referenced image`,
    );
    throw new EngineError(error.code, error.message, {
      ...error.detail,
      operation: 'remove image',
      usedBy: users.map((c) => c.name).sort(),
    });
  }
  world.images.delete(image.id);
  return { changed: true };
}
