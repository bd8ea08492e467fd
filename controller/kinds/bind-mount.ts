import type { ControllerKind } from './controller-kind.js';
import { noEngineObject } from './host-only.js';

/** BindMount: a host path, checked or created on the host; nothing on the engine. */
export const bindMountKind: ControllerKind<'BindMount'> = {
  ...noEngineObject,
};
