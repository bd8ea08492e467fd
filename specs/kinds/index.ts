import type { Kind } from '../model.js';
import { bindMountSpecKind } from './bind-mount.js';
import { configSpecKind } from './config.js';
import { containerSpecKind } from './container.js';
import { imageSpecKind } from './image.js';
import { networkSpecKind } from './network.js';
import { secretSpecKind } from './secret.js';
import type { SpecKind, SpecKinds } from './spec-kind.js';
import { volumeSpecKind } from './volume.js';

export type { ManifestOfKind, ObjectOfKind, SpecKind } from './spec-kind.js';

/** The desired side of every kind, by kind (issue 17). */
export const SPEC_KINDS: SpecKinds = {
  Image: imageSpecKind,
  Network: networkSpecKind,
  BindMount: bindMountSpecKind,
  Volume: volumeSpecKind,
  Container: containerSpecKind,
  Secret: secretSpecKind,
  Config: configSpecKind,
};

/** The descriptor of one kind, typed by that kind (so its functions take that kind's object). */
export function specKind<K extends Kind>(kind: K): SpecKind<K> {
  return SPEC_KINDS[kind];
}
