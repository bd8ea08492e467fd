import type { ContainerCreateRequest } from '../engine.js';

/**
 * A plain container create request for unit tests: no labels, env, ports, mounts or networks,
 * restart policy `no`, a 10 s stop timeout, no init, not privileged. `fields` (the name and
 * image at least) override these; the keys keep this order (name and image first).
 */
export function createRequest(
  fields: Pick<ContainerCreateRequest, 'name' | 'image'> & Partial<ContainerCreateRequest>,
): ContainerCreateRequest {
  const { name, image, ...rest } = fields;
  return {
    name,
    image,
    labels: {},
    env: {},
    ports: [],
    mounts: [],
    networks: [],
    restartPolicy: 'no',
    stopTimeoutSec: 10,
    init: false,
    privileged: false,
    ...rest,
  };
}
