import { NO_ENGINE_FACTS } from './controller-kind.js';

/**
 * The part shared by kinds with no engine object of their own: a bind mount is a host path,
 * and a secret or config lives inside the containers that mount it.
 */
export const noEngineObject = {
  matchObserved: () => undefined,
  engineFacts: () => NO_ENGINE_FACTS,
};
