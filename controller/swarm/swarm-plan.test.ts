import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../specs/index.js';
import { desiredFrom } from '../../test/support/manifests.js';
import { TASK_HASH } from '../engine/swarm/swarm-service-spec.js';
import type { SwarmObserved, SwarmServiceSpec } from '../engine/swarm/swarm-types.js';
import { formatSwarmPlan, planSwarmApply, planSwarmDelete } from './swarm-plan.js';
import { swarmStatus, wantedFromSpecs } from './swarm-status.js';
import { swarmLosses } from './swarm-losses.js';
import { gaveUp } from './swarm-wait.js';

const set = (replicas: number, value: string) => `
apiVersion: berth/v1
kind: Network
metadata: {name: backend, labels: {team: net}}
---
apiVersion: berth/v1
kind: Config
metadata: {name: conf, labels: {team: web, berth.name: not-this}}
spec: {content: "${value}"}
---
apiVersion: berth/v1
kind: Container
metadata: {name: web}
spec:
  image: localhost/berth-busybox:1
  replicas: ${replicas}
  restartPolicy: OnFailure
  networks: [backend]
  placement: {constraints: ["node.role==worker"]}
  mounts: [{config: conf, target: /etc/app.conf}, {volume: data, target: /data}]
---
apiVersion: berth/v1
kind: Volume
metadata: {name: data}
`;

/** The parts of a task template the tests read. */
interface Template {
  ContainerSpec: {
    Labels: Record<string, string>;
    Configs: { ConfigName: string; File: { Name: string } }[];
    Mounts: Record<string, unknown>[];
  };
  RestartPolicy: { Condition: string };
  Placement: { Constraints: string[] };
  Networks: unknown[];
}
const template = (spec: SwarmServiceSpec | undefined) => spec?.TaskTemplate as unknown as Template;

const EMPTY: SwarmObserved = { services: [], tasks: [], networks: [], secrets: [], configs: [] };

/** What the Swarm would list after `specs` were created as planned. */
function observedAfter(
  specs: Map<string, SwarmServiceSpec>,
  planned: SwarmObserved,
): SwarmObserved {
  const services = [...specs.values()].map((s, i) => ({
    id: `svc${i}`,
    name: s.Name,
    labels: s.Labels,
    version: 7,
    replicas: s.Mode.Replicated.Replicas,
    image: (s.TaskTemplate.ContainerSpec as { Image: string }).Image,
  }));
  return { ...planned, services };
}

describe('planSwarmApply', () => {
  it('creates network, config and one service for the replicas, then nothing', async () => {
    const desired = await desiredFrom(set(2, 'a'));
    const first = planSwarmApply(desired, EMPTY, 'p', false);
    expect(formatSwarmPlan(first).map((l) => l.replace(/-[0-9a-f]{12}/, '-<digest>'))).toEqual([
      '+ Network/backend  create-network  not created yet',
      '+ Config/conf  create-config  new value',
      '+ Container/web  create-service  not created yet',
    ]);
    const spec = first.services.get('Container/web') as SwarmServiceSpec;
    expect(spec.Name).toBe('p-web');
    expect(spec.Mode.Replicated.Replicas).toBe(2);
    expect(spec.EndpointSpec.Mode).toBe('dnsrr');
    const task = template(spec);
    expect(task.RestartPolicy.Condition).toBe('on-failure');
    expect(task.Placement.Constraints).toEqual(['node.role==worker']);
    expect(task.Networks).toEqual([{ Target: 'p-backend', Aliases: ['web'] }]);
    expect(task.ContainerSpec.Mounts[0]).toMatchObject({ Type: 'volume', Source: 'p-data' });
    expect(task.ContainerSpec.Configs[0]?.File.Name).toBe('/etc/app.conf');

    const configs = [
      { id: 'c1', name: task.ContainerSpec.Configs[0]?.ConfigName ?? '', labels: {} },
    ];
    const networks = [{ id: 'n1', name: 'p-backend', labels: {} }];
    const observed = observedAfter(first.services, { ...EMPTY, configs, networks });
    const second = planSwarmApply(desired, observed, 'p', false);
    expect(second.steps).toEqual([]);
    expect(second.unchanged.sort()).toEqual(['Config/conf', 'Container/web', 'Network/backend']);
  });

  it("copies a network's and a config's metadata.labels; berth's own labels win", async () => {
    const plan = planSwarmApply(await desiredFrom(set(1, 'a')), EMPTY, 'p', false);
    const labelsOf = (op: string) => {
      const step = plan.steps.find((s) => s.op === op);
      if (step?.op === 'create-network') return step.request.labels;
      return step?.op === 'create-config' ? step.labels : undefined;
    };
    expect(labelsOf('create-config')).toEqual({
      team: 'web',
      'berth.project': 'p',
      'berth.kind': 'Config',
      'berth.name': 'conf',
      'berth.spec-hash': expect.stringMatching(/^sha256:/),
    });
    expect(labelsOf('create-network')).toMatchObject({ team: 'net', 'berth.kind': 'Network' });
  });

  it('puts back a service scaled or re-imaged behind berth (its labels unchanged)', async () => {
    const desired = await desiredFrom(set(2, 'a'));
    const first = planSwarmApply(desired, EMPTY, 'p', false);
    const converged = observedAfter(first.services, EMPTY);
    const drifted = (change: Partial<SwarmObserved['services'][number]>) =>
      planSwarmApply(
        desired,
        { ...converged, services: converged.services.map((s) => ({ ...s, ...change })) },
        'p',
        false,
      ).steps.filter((s) => s.key === 'Container/web');
    expect(drifted({ replicas: 5 })).toEqual([
      expect.objectContaining({
        op: 'update-service',
        cause: 'replicas 5 → 2, changed outside berth',
        version: 7,
      }),
    ]);
    expect(drifted({ image: 'localhost/other:2' })[0]?.cause).toMatch(
      /^image localhost\/other:2 → .*, changed outside berth$/,
    );
    expect(drifted({})).toEqual([]);
  });

  it('scaling updates the service without changing its tasks; a new value replaces the old', async () => {
    const before = planSwarmApply(await desiredFrom(set(2, 'a')), EMPTY, 'p', false);
    const oldConfig = template(before.services.get('Container/web')).ContainerSpec.Configs[0]
      ?.ConfigName as string;
    const observed = observedAfter(before.services, {
      ...EMPTY,
      configs: [{ id: 'c1', name: oldConfig, labels: { 'berth.name': 'conf' } }],
      networks: [{ id: 'n1', name: 'p-backend', labels: {} }],
    });
    const scaled = planSwarmApply(await desiredFrom(set(3, 'a')), observed, 'p', false);
    expect(formatSwarmPlan(scaled)).toEqual(['~ Container/web  update-service  replicas 2 → 3']);
    const hash = (p: typeof scaled) =>
      template(p.services.get('Container/web')).ContainerSpec.Labels[TASK_HASH];
    expect(hash(scaled)).toBe(hash(before));

    const changed = planSwarmApply(await desiredFrom(set(2, 'b')), observed, 'p', false);
    expect(changed.steps.map((s) => `${s.op} ${s.key} ${s.cause}`)).toEqual([
      'create-config Config/conf new value',
      'update-service Container/web spec changed (rolling update)',
      'remove Config/conf an older value',
    ]);
    expect(hash(changed)).not.toBe(hash(before));
  });

  it('prunes only with --prune, and delete removes only what the set declares', async () => {
    const observed: SwarmObserved = {
      ...EMPTY,
      services: [
        {
          id: 's1',
          name: 'p-old',
          labels: { 'berth.name': 'old' },
          version: 1,
          replicas: 1,
          image: 'x',
        },
        {
          id: 's2',
          name: 'p-web',
          labels: { 'berth.name': 'web' },
          version: 1,
          replicas: 1,
          image: 'x',
        },
      ],
    };
    const desired = await desiredFrom(set(1, 'a'));
    const kept = planSwarmApply(desired, observed, 'p', false);
    expect(kept.steps.some((s) => s.op === 'remove')).toBe(false);
    const pruned = planSwarmApply(desired, observed, 'p', true);
    expect(pruned.steps.filter((s) => s.op === 'remove').map((s) => s.key)).toEqual([
      'Container/old',
    ]);
    const deleted = planSwarmDelete(desired, observed, 'p');
    expect(deleted.steps.map((s) => s.key)).toEqual(['Container/web']);
    expect(planSwarmDelete(undefined, observed, 'p').steps).toHaveLength(2);
  });
});

describe('swarmStatus', () => {
  it('counts running tasks on the current spec and gives the newest task error', async () => {
    const planned = planSwarmApply(await desiredFrom(set(2, 'a')), EMPTY, 'p', false);
    const spec = planned.services.get('Container/web') as SwarmServiceSpec;
    const current = template(spec).ContainerSpec.Labels;
    const task = (slot: number, state: string, labels: Record<string, string>, error?: string) => ({
      id: `t${slot}${state}`,
      serviceId: 'svc0',
      labels,
      slot,
      nodeId: 'n',
      desiredState: state === 'running' ? 'running' : 'shutdown',
      state,
      message: '',
      updatedAt: slot,
      ...(error ? { error } : {}),
    });
    const observed = observedAfter(planned.services, {
      ...EMPTY,
      tasks: [task(1, 'running', current), task(2, 'rejected', current, 'No such image: x')],
    });
    const [web] = swarmStatus(wantedFromSpecs(planned.services), observed);
    expect(web).toMatchObject({
      runningReplicas: 1,
      desiredReplicas: 2,
      inSync: true,
      ready: false,
    });
    expect(web?.reason).toBe('1/2 replicas running; task rejected: No such image: x');
  });

  it('a service scaled behind berth is out of sync, and waiting for it gives up', async () => {
    const planned = planSwarmApply(await desiredFrom(set(2, 'a')), EMPTY, 'p', false);
    const observed = observedAfter(planned.services, EMPTY);
    const scaled = { ...observed, services: observed.services.map((s) => ({ ...s, replicas: 3 })) };
    const [web] = swarmStatus(wantedFromSpecs(planned.services), scaled);
    expect(web).toMatchObject({ inSync: false, ready: false });
    expect(web?.reason).toBe(
      'changed outside berth: scaled to 3 (declared 2); apply to put it back',
    );
    expect(gaveUp(web!)).toBe(true);
  });
});

describe('swarmLosses', () => {
  it('names what a service cannot carry, once per declared container', async () => {
    const yaml = `
apiVersion: berth/v1
kind: Container
metadata: {name: web}
spec:
  image: localhost/berth-busybox:1
  replicas: 2
  state: paused
  ports: ["127.0.0.1:8080:80"]
  mounts: [{tmpfs: /tmp, options: [exec]}]
`;
    // One host port per node: the replicas may share it on a Swarm, never on one engine.
    await expect(desiredFrom(yaml)).rejects.toThrow(/E_DUPLICATE_PORT/);
    const loaded = await loadManifests(['-'], { stdin: yaml, cwd: '/tmp', portsPerNode: true });
    expect(loaded.problems).toEqual([]);
    const desired = loaded.set.objects;
    expect(swarmLosses(desired).map((l) => `${l.object} ${l.field}`)).toEqual([
      'Container/web spec.state',
      'Container/web spec.ports[0].hostIP',
      'Container/web spec.mounts[0].options',
    ]);
  });
});
