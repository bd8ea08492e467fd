import type { DesiredObject } from '../../specs/model.js';
import { LABEL, ownershipLabels, resourceEngineName } from '../labels.js';
import {
  declaredServices,
  serviceSpec,
  versionedName,
} from '../engine/swarm/swarm-service-spec.js';
import type {
  ObservedService,
  ObservedSwarmObject,
  SwarmKind,
  SwarmNetworkRequest,
  SwarmObserved,
  SwarmServiceSpec,
} from '../engine/swarm/swarm-types.js';

/** One call against the Swarm manager; `key` is the berth object it is for, `cause` why. */
export type SwarmStep =
  | { op: 'create-network'; key: string; cause: string; request: SwarmNetworkRequest }
  | {
      op: 'create-secret' | 'create-config';
      key: string;
      cause: string;
      name: string;
      digest: string;
      labels: Record<string, string>;
    }
  | { op: 'create-service'; key: string; cause: string; spec: SwarmServiceSpec }
  | {
      op: 'update-service';
      key: string;
      cause: string;
      id: string;
      version: number;
      spec: SwarmServiceSpec;
    }
  | { op: 'remove'; kind: SwarmKind; key: string; cause: string; id: string; name: string };

/** What apply or delete does on a Swarm, in the order it runs. */
export interface SwarmPlan {
  project: string;
  steps: SwarmStep[];
  /** Keys of declared objects that need nothing. */
  unchanged: string[];
  /** The service spec of every declared container, by key (`Container/web`). */
  services: Map<string, SwarmServiceSpec>;
}

/**
 * apply on a Swarm (pure): overlay networks, then secret/config versions, then services
 * created or updated (only when `berth.spec-hash` differs: a second apply is a no-op), then
 * removals (undeclared services, networks, secrets and configs with `prune`; old versions
 * of declared secrets/configs always). Only objects in `observed` (berth's labels, this
 * project) are ever removed.
 */
export function planSwarmApply(
  desired: readonly DesiredObject[],
  observed: SwarmObserved,
  project: string,
  prune: boolean,
): SwarmPlan {
  const plan: SwarmPlan = { project, steps: [], unchanged: [], services: new Map() };
  const keep = { network: new Set<string>(), secret: new Set<string>(), config: new Set<string>() };
  for (const o of desired) {
    if (o.kind === 'Network' && !o.spec.external) {
      const name = resourceEngineName(project, o);
      keep.network.add(name);
      const found = observed.networks.some((n) => n.name === name);
      if (found) plan.unchanged.push(`Network/${o.name}`);
      else plan.steps.push(networkStep(o, name, project));
    }
    if (o.kind === 'Secret' || o.kind === 'Config') {
      const type = o.kind === 'Secret' ? 'secret' : 'config';
      const name = versionedName(project, o.name, o.spec.digest);
      keep[type].add(name);
      const found = (type === 'secret' ? observed.secrets : observed.configs).some(
        (s) => s.name === name,
      );
      if (found) plan.unchanged.push(`${o.kind}/${o.name}`);
      else
        plan.steps.push({
          op: type === 'secret' ? 'create-secret' : 'create-config',
          key: `${o.kind}/${o.name}`,
          cause: found ? '' : 'new value',
          name,
          digest: o.spec.digest,
          labels: ownLabels(project, o, o.spec.digest),
        });
    }
  }
  const declared = new Set<string>();
  for (const service of declaredServices(desired)) {
    const key = `Container/${service.name}`;
    const spec = serviceSpec(service, desired, project);
    plan.services.set(key, spec);
    declared.add(spec.Name);
    const found = observed.services.find((s) => s.name === spec.Name);
    if (!found) plan.steps.push({ op: 'create-service', key, cause: 'not created yet', spec });
    else {
      // Same spec hash, yet scaled or re-imaged behind berth's back: put the declared spec back.
      const changed = found.labels[LABEL.specHash] !== spec.Labels[LABEL.specHash];
      const drift = changed ? undefined : driftOf(found, spec);
      if (!changed && !drift) plan.unchanged.push(key);
      else
        plan.steps.push({
          op: 'update-service',
          key,
          cause: drift ? `${drift}, changed outside berth` : updateCause(found.replicas, spec),
          id: found.id,
          version: found.version,
          spec,
        });
    }
  }
  for (const s of observed.services) {
    if (!declared.has(s.name) && prune)
      plan.steps.push(removal('service', s, 'Container', 'no longer declared'));
  }
  const declaredNames = new Set(desired.map((o) => `${o.kind}/${o.name}`));
  for (const [kind, list, owned] of [
    ['secret', observed.secrets, 'Secret'],
    ['config', observed.configs, 'Config'],
    ['network', observed.networks, 'Network'],
  ] as const) {
    for (const o of list) {
      if (keep[kind].has(o.name)) continue;
      const stillDeclared = declaredNames.has(`${owned}/${o.labels[LABEL.name]}`);
      if (stillDeclared && kind !== 'network')
        plan.steps.push(removal(kind, o, owned, 'an older value'));
      else if (!stillDeclared && prune)
        plan.steps.push(removal(kind, o, owned, 'no longer declared'));
    }
  }
  return plan;
}

/**
 * delete on a Swarm (pure): every observed object of the project that `desired` declares
 * (every one, when `desired` is undefined: `down`), services first, all versions of secrets
 * and configs, networks last.
 */
export function planSwarmDelete(
  desired: readonly DesiredObject[] | undefined,
  observed: SwarmObserved,
  project: string,
): SwarmPlan {
  const plan: SwarmPlan = { project, steps: [], unchanged: [], services: new Map() };
  const wanted = (kind: string, o: ObservedSwarmObject) =>
    desired === undefined ||
    desired.some((d) => d.kind === kind && (d.name === o.labels[LABEL.name] || isReplicaOf(d, o)));
  for (const [kind, list, owned] of [
    ['service', observed.services, 'Container'],
    ['secret', observed.secrets, 'Secret'],
    ['config', observed.configs, 'Config'],
    ['network', observed.networks, 'Network'],
  ] as const) {
    for (const o of list) if (wanted(owned, o)) plan.steps.push(removal(kind, o, owned, 'deleted'));
  }
  return plan;
}

function isReplicaOf(d: DesiredObject, o: ObservedSwarmObject): boolean {
  return d.kind === 'Container' && d.replica?.of === o.labels[LABEL.name];
}

function networkStep(
  o: Extract<DesiredObject, { kind: 'Network' }>,
  name: string,
  project: string,
): SwarmStep {
  return {
    op: 'create-network',
    key: `Network/${o.name}`,
    cause: 'not created yet',
    request: {
      name,
      labels: ownLabels(project, o, o.specHash),
      internal: o.spec.internal,
      options: o.spec.options,
      ...(o.spec.ipam ? { ipam: o.spec.ipam } : {}),
    },
  };
}

/**
 * A network's, secret's or config's labels: its `metadata.labels` (copied onto the engine
 * object, as the Docker backend does), then berth's own, which win.
 */
function ownLabels(project: string, o: DesiredObject, hash: string): Record<string, string> {
  return { ...o.labels, ...ownershipLabels(project, o.kind, o.name, hash) };
}

function removal(kind: SwarmKind, o: ObservedSwarmObject, owned: string, cause: string): SwarmStep {
  return {
    op: 'remove',
    kind,
    key: `${owned}/${o.labels[LABEL.name] ?? o.name}`,
    cause,
    id: o.id,
    name: o.name,
  };
}

/** How a service whose labels say "declared spec" differs from it: replicas or image. */
function driftOf(found: ObservedService, spec: SwarmServiceSpec): string | undefined {
  const replicas = spec.Mode.Replicated.Replicas;
  if (found.replicas !== replicas) return `replicas ${found.replicas} → ${replicas}`;
  const image = (spec.TaskTemplate.ContainerSpec as { Image: string }).Image;
  if (found.image !== image) return `image ${found.image} → ${image}`;
  return undefined;
}

function updateCause(replicas: number, spec: SwarmServiceSpec): string {
  const wanted = spec.Mode.Replicated.Replicas;
  return replicas !== wanted ? `replicas ${replicas} → ${wanted}` : 'spec changed (rolling update)';
}

/** `+`/`~`/`-` lines, as `berth plan` prints them. */
export function formatSwarmPlan(plan: SwarmPlan): string[] {
  const sign = (s: SwarmStep) => (s.op === 'remove' ? '-' : s.op === 'update-service' ? '~' : '+');
  return plan.steps.map(
    (s) => `${sign(s)} ${s.key}  ${s.op === 'remove' ? `remove ${s.kind}` : s.op}  ${s.cause}`,
  );
}
