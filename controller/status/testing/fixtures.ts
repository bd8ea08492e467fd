// Hand-made desired objects, observed state and plans for the status unit tests.
import { createHash } from 'node:crypto';
import type { ContainerObject, NetworkObject } from '../../../specs/model.js';
import type {
  ContainerCreateRequest,
  ObservedContainer,
  ObservedState,
} from '../../engine/engine.js';
import { createRequest } from '../../engine/testing/create-request.js';
import { engineName, ownershipLabels } from '../../labels.js';
import type { ObjectPlan } from '../../plan/plan-types.js';

/** 2024-05-01T12:00:00Z: every golden test runs at this instant. */
export const NOW = Date.UTC(2024, 4, 1, 12, 0, 0);

/** The create request of a plain owned container `name` of `project` (in-memory engine tests). */
export function ownedCreateRequest(
  project: string,
  name: string,
  image = 'localhost/berth-busybox:1',
): ContainerCreateRequest {
  return createRequest({
    name: engineName(project, name),
    image,
    labels: ownershipLabels(project, 'Container', name, `hash-${name}`),
    restartPolicy: 'unless-stopped',
  });
}

export function containerObject(
  name: string,
  overrides: Partial<ContainerObject['spec']> = {},
): ContainerObject {
  return {
    kind: 'Container',
    name,
    labels: {},
    source: { file: '/srv/app/app.yaml', line: 1, column: 1 },
    specHash: `hash-${name}`,
    spec: {
      image: { ref: 'localhost/berth-busybox:1' },
      state: 'running',
      env: {},
      ports: [],
      networks: [],
      mounts: [],
      restartPolicy: 'Always',
      dependsOn: [],
      resources: {},
      stopGracePeriodMs: 10_000,
      privileged: false,
      init: false,
      ...overrides,
    },
  };
}

export function networkObject(name: string): NetworkObject {
  return {
    kind: 'Network',
    name,
    labels: {},
    source: { file: '/srv/app/app.yaml', line: 20, column: 1 },
    specHash: `hash-${name}`,
    spec: { driver: 'bridge', internal: false, attachable: false, options: {} },
  };
}

export function observedContainer(
  project: string,
  name: string,
  overrides: Partial<ObservedContainer> = {},
): ObservedContainer {
  return {
    id: createHash('sha256').update(name).digest('hex'),
    name: `${project}-${name}`,
    labels: {
      'berth.project': project,
      'berth.kind': 'Container',
      'berth.name': name,
      'berth.spec-hash': `hash-${name}`,
    },
    state: 'running',
    imageId: 'sha256:1111111111111111111111111111111111111111111111111111111111111111',
    imageRef: 'localhost/berth-busybox:1',
    createdAt: NOW - 3_600_000,
    health: 'none',
    networks: [],
    ports: [],
    ...overrides,
  };
}

export function emptyObserved(): ObservedState {
  return { containers: [], networks: [], volumes: [], images: [] };
}

export function objectPlan(
  kind: ObjectPlan['kind'],
  name: string,
  overrides: Partial<ObjectPlan> = {},
): ObjectPlan {
  return {
    key: `${kind}/${name}`,
    kind,
    name,
    observed: kind === 'Container' ? 'running' : 'present',
    desired: kind === 'Container' ? 'running' : 'present',
    steps: [],
    inSync: true,
    after: [],
    ...overrides,
  };
}
