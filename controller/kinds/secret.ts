import type { ControllerKind } from './controller-kind.js';
import { noEngineObject } from './host-only.js';

/** Secret: written into the containers that mount it; nothing of its own on the engine. */
export const secretKind: ControllerKind<'Secret'> = {
  ...noEngineObject,
};
