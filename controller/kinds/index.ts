import type { Kind } from '../../specs/model.js';
import { bindMountKind } from './bind-mount.js';
import { configKind } from './config.js';
import { containerKind } from './container.js';
import type { ControllerKind, ControllerKinds } from './controller-kind.js';
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
} from './controller-kind.js';
export { NO_ENGINE_FACTS } from './controller-kind.js';

/** The controller's side of every kind, by kind (issue 17). */
export const CONTROLLER_KINDS: ControllerKinds = {
  Image: imageKind,
  Network: networkKind,
  BindMount: bindMountKind,
  Volume: volumeKind,
  Container: containerKind,
  Secret: secretKind,
  Config: configKind,
};

/** The descriptor of one kind, typed by that kind. */
export function controllerKind<K extends Kind>(kind: K): ControllerKind<K> {
  return CONTROLLER_KINDS[kind];
}
