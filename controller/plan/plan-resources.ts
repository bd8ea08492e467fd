import type {
  BindMountObject,
  ImageObject,
  NetworkObject,
  VolumeObject,
} from '../../specs/model.js';
import { objectKey } from '../../specs/model.js';
import type {
  ObservedContainer,
  ObservedImage,
  ObservedNetwork,
  ObservedVolume,
} from '../engine/engine.js';
import { buildKey } from '../../specs/index.js';
import { LABEL, resourceEngineName } from '../labels.js';
import { pinnedImageStep } from '../update/image-retention.js';
import { findImage } from './image-ref.js';
import type { HostPathKind } from './plan-input.js';
import { objectPlan, step } from './plan-object.js';
import type { ObjectPlan } from './plan-types.js';

export { objectPlan, step } from './plan-object.js';

/**
 * A rollback's pinned image is tagged back when the engine still has it; otherwise build when
 * the context's content hash differs, pull per pullPolicy.
 */
export function planImage(
  image: ImageObject,
  images: ObservedImage[],
  pinnedId?: string,
): ObjectPlan {
  const key = objectKey(image);
  const found = findImage(images, image.spec.ref);
  const base = { key, kind: image.kind, name: image.name, engineId: found?.id };
  const observed = found ? 'present' : 'absent';
  const pin = pinnedImageStep(key, image.spec.ref, images, pinnedId);
  if (pin) return objectPlan(base, observed, 'present', [pin]);
  const build = image.spec.build;
  if (build) {
    if (!found)
      return objectPlan(base, observed, 'present', [step(key, 'build', '+', 'not built yet')]);
    if (found.labels[LABEL.buildHash] !== buildKey(build)) {
      return objectPlan(base, observed, 'present', [
        step(key, 'build', '~', 'build context, Dockerfile or args changed'),
      ]);
    }
    return objectPlan(base, observed, 'present', []);
  }
  if (image.spec.pullPolicy === 'Always') {
    // Re-resolving the tag is the point of Always: it is a step, but not drift.
    const p = objectPlan(base, observed, 'present', [
      step(key, 'pull', found ? '~' : '+', 'pullPolicy Always'),
    ]);
    return found ? { ...p, inSync: true, reason: undefined } : p;
  }
  if (found) return objectPlan(base, observed, 'present', []);
  if (image.spec.pullPolicy === 'Never') {
    return objectPlan(
      base,
      observed,
      'present',
      [],
      `image ${image.spec.ref} is not present and pullPolicy is Never`,
    );
  }
  return objectPlan(base, observed, 'present', [step(key, 'pull', '+', 'not present')]);
}

/** A literal image reference used by a container and missing on the engine: pulled, as Compose does. */
export function planImplicitImage(ref: string): ObjectPlan {
  const key = `Image/${ref}` as const;
  return objectPlan({ key, kind: 'Image', name: ref }, 'absent', 'present', [
    step(key, 'pull', '+', 'not present'),
  ]);
}

/**
 * Create when missing. A changed network is recreated: its containers are disconnected,
 * the network removed and created again, and the containers connected with their aliases.
 */
export function planNetwork(
  network: NetworkObject,
  project: string,
  observed: ObservedNetwork | undefined,
  attached: { name: string; container: ObservedContainer }[],
): ObjectPlan {
  const key = objectKey(network);
  const base = engineBase(network, project, observed?.id);
  if (!observed)
    return objectPlan(base, 'absent', 'present', [step(key, 'create', '+', 'not created yet')]);
  if (observed.labels[LABEL.specHash] === network.specHash)
    return objectPlan(base, 'present', 'present', []);
  const cause = 'network spec changed';
  return objectPlan(base, 'present', 'present', [
    ...attached.map((a) => step(key, 'disconnect', '~', cause, a.name)),
    step(key, 'remove', '~', cause),
    step(key, 'create', '~', cause),
    ...attached.map((a) => step(key, 'connect', '~', cause, a.name)),
  ]);
}

/** The identity of a network or volume on the engine: its engine name (labels.ts) and id. */
function engineBase(
  object: NetworkObject | VolumeObject,
  project: string,
  engineId: string | undefined,
) {
  return {
    key: objectKey(object),
    kind: object.kind,
    name: object.name,
    engineName: resourceEngineName(project, object),
    engineId,
  };
}

/** Volumes are created when missing; their data is never replaced behind the user's back. */
export function planVolume(
  volume: VolumeObject,
  project: string,
  observed: ObservedVolume | undefined,
): ObjectPlan {
  const key = objectKey(volume);
  const base = engineBase(volume, project, observed?.name);
  if (!observed)
    return objectPlan(base, 'absent', 'present', [step(key, 'create', '+', 'not created yet')]);
  if (observed.labels[LABEL.specHash] === volume.specHash)
    return objectPlan(base, 'present', 'present', []);
  return objectPlan(base, 'present', 'present', [], volumeChangedReason(volume, base, observed));
}

/**
 * Why a changed volume stays as it is. Another engine name (spec.name, F134) would be another,
 * empty volume while the data stays in the one the containers mount: said as such.
 */
function volumeChangedReason(
  volume: VolumeObject,
  base: { engineName: string },
  observed: ObservedVolume,
): string {
  if (observed.name !== base.engineName)
    return (
      `engine name changed: ${observed.name} → ${base.engineName}; berth does not replace volumes ` +
      `(the data is in ${observed.name}): set spec.name back, or berth delete volume/${volume.name} --purge ` +
      `(the data goes) and apply again`
    );
  return 'volume spec changed; berth does not recreate volumes (their data would be lost): delete the volume to apply it';
}

/** What a BindMount type requires at its host path (Kubernetes' hostPath types). */
function wantedKind(type: BindMountObject['spec']['type']): HostPathKind {
  if (type === 'File' || type === 'FileOrCreate') return 'file';
  return type === 'Socket' ? 'socket' : 'directory';
}

/** Host paths: created for the *OrCreate types, required to exist otherwise, never deleted. */
export function planBindMount(
  bind: BindMountObject,
  hostPaths: ReadonlyMap<string, HostPathKind>,
): ObjectPlan {
  const key = objectKey(bind);
  const base = { key, kind: bind.kind, name: bind.name };
  const want = wantedKind(bind.spec.type);
  const have = hostPaths.get(bind.spec.hostPath) ?? 'absent';
  const path = bind.spec.hostPath;
  // A socket declared `File` (the only way to say it before `Socket` existed) still mounts.
  if (have === want || (want === 'file' && have === 'socket'))
    return objectPlan(base, 'present', 'present', []);
  if (have !== 'absent')
    return objectPlan(base, have, want, [], `${path} is a ${have}, declared a ${want}`);
  if (bind.spec.type === 'Directory' || bind.spec.type === 'File' || bind.spec.type === 'Socket') {
    return objectPlan(
      base,
      'absent',
      want,
      [],
      `${path} does not exist (type ${bind.spec.type} requires it)`,
    );
  }
  return objectPlan(base, 'absent', want, [
    step(key, 'ensure-path', '+', `${path} does not exist`),
  ]);
}
