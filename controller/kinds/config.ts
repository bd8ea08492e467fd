import { planFileValue } from '../plan/plan-unmanaged.js';
import type { ResourceKindDescriptor } from './controller-kind.js';
import { noEngineObject } from './host-only.js';

/** Config: written into the containers that mount it; nothing of its own on the engine. */
export const configKind: ResourceKindDescriptor<'Config'> = {
  planDeclared: planFileValue,
  ...noEngineObject,
};
