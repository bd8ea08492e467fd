import { planBindMount } from '../plan/plan-resources.js';
import type { ResourceKindDescriptor } from './controller-kind.js';
import { noEngineObject } from './host-only.js';

/** BindMount: a host path, checked or created on the host; nothing on the engine. */
export const bindMountKind: ResourceKindDescriptor<'BindMount'> = {
  planDeclared: (object, input) => planBindMount(object, input.hostPaths),
  ...noEngineObject,
};
