// One project in every interesting condition, for the golden tests of the formatters.
import type { ContainerDetails, ObservedState } from '../../engine/engine.js';
import type { Plan } from '../../plan/plan-types.js';
import type { HistoryEntry } from '../../records/record-types.js';
import { buildProjectStatus, type ProjectStatusInput } from '../build-status.js';
import type { ProjectStatus } from '../status-types.js';
import { NOW, containerObject, networkObject, objectPlan, observedContainer } from './fixtures.js';

export const PROJECT = 'shop';

export const LAST_APPLY: HistoryEntry = {
  time: NOW - 7_200_000,
  sources: ['/srv/shop'],
  commit: '0123456789abcdef0123456789abcdef01234567',
  outcome: 'converged',
  counts: { created: 4, changed: 0, deleted: 0, unchanged: 0, failed: 0 },
  durationMs: 2300,
};

export function sampleInput(): ProjectStatusInput {
  const desired = [
    containerObject('web', {
      ports: [{ containerPort: 80, hostPort: 8080, hostIP: '127.0.0.1', protocol: 'tcp' }],
    }),
    containerObject('api'),
    containerObject('db'),
    containerObject('worker'),
    networkObject('backend'),
  ];
  const web = observedContainer(PROJECT, 'web', {
    ports: [{ containerPort: 80, hostPort: 8080, hostIP: '127.0.0.1', protocol: 'tcp' }],
    networks: ['shop-backend'],
  });
  const api = observedContainer(PROJECT, 'api', { state: 'paused', createdAt: NOW - 90_000 });
  const worker = observedContainer(PROJECT, 'worker', {
    state: 'restarting',
    exitCode: 137,
    createdAt: NOW - 3 * 86_400_000,
  });
  const old = observedContainer(PROJECT, 'old', {
    state: 'exited',
    exitCode: 0,
    createdAt: NOW - 40 * 86_400_000,
  });
  const observed: ObservedState = {
    containers: [web, api, worker, old],
    networks: [
      {
        id: 'a'.repeat(64),
        name: 'shop-backend',
        labels: { 'berth.project': PROJECT, 'berth.kind': 'Network', 'berth.name': 'backend' },
        driver: 'bridge',
        createdAt: NOW - 7_200_000,
      },
    ],
    volumes: [],
    images: [
      {
        id: web.imageId,
        repoTags: ['localhost/berth-busybox:1'],
        repoDigests: ['localhost/berth-busybox@sha256:' + 'd'.repeat(64)],
        labels: {},
        createdAt: NOW - 86_400_000 * 10,
      },
    ],
  };
  const plan: Plan = {
    project: PROJECT,
    conflicts: [
      {
        key: 'Container/db',
        engineName: 'shop-db',
        message: 'the engine name shop-db is taken by a container berth does not own',
      },
    ],
    objects: [
      objectPlan('Network', 'backend', { engineName: 'shop-backend', engineId: 'a'.repeat(64) }),
      objectPlan('Container', 'web', { engineName: 'shop-web', engineId: web.id }),
      objectPlan('Container', 'api', {
        engineName: 'shop-api',
        engineId: api.id,
        observed: 'paused',
        inSync: false,
        reason: 'paused outside berth',
        steps: [
          { key: 'Container/api', action: 'unpause', symbol: '~', cause: 'paused outside berth' },
        ],
      }),
      objectPlan('Container', 'db', {
        engineName: 'shop-db',
        observed: 'absent',
        inSync: false,
        reason: 'name conflict',
      }),
      objectPlan('Container', 'worker', {
        engineName: 'shop-worker',
        engineId: worker.id,
        observed: 'restarting',
        inSync: false,
        reason: 'crash loop: restarting',
      }),
      objectPlan('Container', 'old', {
        engineName: 'shop-old',
        engineId: old.id,
        observed: 'exited',
        desired: 'absent',
        inSync: false,
        steps: [
          { key: 'Container/old', action: 'remove', symbol: '-', cause: 'not declared any more' },
        ],
      }),
    ],
  };
  const workerDetails: ContainerDetails = {
    ...worker,
    restartCount: 5,
    exitCode: 137,
    startedAt: NOW - 20_000,
    finishedAt: NOW - 10_000,
    oomKilled: false,
    healthLog: [],
    pid: 0,
  };
  return {
    project: PROJECT,
    desired,
    observed,
    plan,
    lastApply: LAST_APPLY,
    details: [workerDetails],
    now: NOW,
  };
}

export function sampleStatus(): ProjectStatus {
  return buildProjectStatus(sampleInput());
}
