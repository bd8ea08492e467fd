import { LABEL } from '../../labels.js';
import type { NameLookup, ObserveOptions, ObservedState } from '../engine.js';
import * as containers from './memory-containers.js';
import * as objects from './memory-objects.js';
import type { MemoryWorld } from './memory-world.js';

/**
 * `Engine.observe` on the in-memory world: the containers, networks and volumes labelled
 * with `options.project` (any project when unset), every image, the objects `options.named`
 * asks for by name, and `mark` as `engineMark` when `options.identify`. Copies, never the
 * world's own objects.
 */
export function observeWorld(
  world: MemoryWorld,
  options: ObserveOptions,
  mark: string,
): ObservedState {
  const owned = (labels: Record<string, string>) =>
    options.project === undefined
      ? labels[LABEL.project] !== undefined
      : labels[LABEL.project] === options.project;
  return {
    containers: [...world.containers.values()]
      .filter((c) => owned(c.labels))
      .map(containers.toObserved),
    networks: [...world.networks.values()]
      .filter((n) => owned(n.labels))
      .map((n) => ({ ...n, labels: { ...n.labels } })),
    volumes: [...world.volumes.values()]
      .filter((v) => owned(v.labels))
      .map((v) => ({ ...v, labels: { ...v.labels } })),
    images: [...world.images.values()].map(objects.toObservedImage),
    ...(options.named && { named: byName(world, options.named) }),
    ...(options.identify ? { engineMark: mark } : {}),
  };
}

/** `Engine.lookupNames`: containers, networks and volumes with exactly these names, any labels. */
export function lookupWorldNames(
  world: MemoryWorld,
  names: NameLookup,
): Omit<ObservedState, 'images'> {
  return {
    containers: [...world.containers.values()]
      .filter((c) => names.containers?.includes(c.name))
      .map(containers.toObserved),
    ...byName(world, names),
  };
}

/** Networks and volumes with exactly these names, whatever their labels. */
function byName(
  world: MemoryWorld,
  names: NonNullable<ObserveOptions['named']>,
): Pick<ObservedState, 'networks' | 'volumes'> {
  return {
    networks: [...world.networks.values()]
      .filter((n) => names.networks?.includes(n.name))
      .map((n) => ({ ...n, labels: { ...n.labels } })),
    volumes: [...world.volumes.values()]
      .filter((v) => names.volumes?.includes(v.name))
      .map((v) => ({ ...v, labels: { ...v.labels } })),
  };
}
