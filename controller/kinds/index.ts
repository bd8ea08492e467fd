import type { Kind } from '../../specs/model.js';
import { bindMountKind } from './bind-mount.js';
import { configKind } from './config.js';
import { containerKind } from './container.js';
import type {
  ControllerKind,
  ControllerKinds,
  ResourceKind,
  ResourceKindDescriptor,
} from './controller-kind.js';
import { imageKind } from './image.js';
import { networkKind } from './network.js';
import { secretKind } from './secret.js';
import { volumeKind } from './volume.js';

export type {
  ControllerKind,
  EngineFacts,
  MatchedObject,
  MatchedOf,
  ObservedPicker,
  ResourceKind,
  ResourceKindDescriptor,
} from './controller-kind.js';
export { NO_ENGINE_FACTS } from './controller-kind.js';

/** The kinds planned on their own, by kind. */
const RESOURCE_KINDS: { readonly [K in ResourceKind]: ResourceKindDescriptor<K> } = {
  Image: imageKind,
  Network: networkKind,
  BindMount: bindMountKind,
  Volume: volumeKind,
  Secret: secretKind,
  Config: configKind,
};

/** The controller's side of every kind, by kind (issue 17). */
export const CONTROLLER_KINDS: ControllerKinds = { ...RESOURCE_KINDS, Container: containerKind };

/** The descriptor of one kind, typed by that kind. */
export function controllerKind<K extends Kind>(kind: K): ControllerKind<K> {
  return CONTROLLER_KINDS[kind] as ControllerKind<K>;
}

/** The descriptor of a kind planned on its own (every kind but Container). */
export function resourceKind<K extends ResourceKind>(kind: K): ResourceKindDescriptor<K> {
  return RESOURCE_KINDS[kind];
}
