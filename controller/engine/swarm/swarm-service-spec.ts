import type { ContainerMount, ContainerObject, DesiredObject } from '../../../specs/model.js';
import { hashValue } from '../../../specs/hash.js';
import { LABEL, declaredEngineName, engineName, sourceLabel } from '../../labels.js';
import { updatePolicyOf } from './swarm-update-policy.js';
import type { SwarmServiceSpec } from './swarm-types.js';

/** ms → the Engine API's nanoseconds. */
const ns = (ms: number) => ms * 1_000_000;

/**
 * On a service's containers: the hash of the task template they were made from, so the
 * tasks that run the current spec can be told from those of an update still rolling.
 */
export const TASK_HASH = 'berth.task-hash';

/** A declared container as one service: the instances of `replicas` folded back into it. */
export interface DeclaredService {
  /** The first instance (or the container itself): every instance has the same spec. */
  object: ContainerObject;
  /** `metadata.name` as declared. */
  name: string;
  replicas: number;
}

/** Declared containers, one per service (expanded replica instances fold back, as in export). */
export function declaredServices(objects: readonly DesiredObject[]): DeclaredService[] {
  const byName = new Map<string, DeclaredService>();
  for (const o of objects) {
    if (o.kind !== 'Container') continue;
    const name = o.replica ? o.replica.of : o.name;
    const seen = byName.get(name);
    if (seen) seen.replicas += 1;
    else byName.set(name, { object: o, name, replicas: o.replica ? 1 : (o.spec.replicas ?? 1) });
  }
  return [...byName.values()];
}

/**
 * The Swarm name of a Secret/Config's current value: `<project>-<name>-<12 hex of its
 * digest>`. Swarm secrets and configs are immutable, so a new value is a new object and
 * the services that mount it are updated to it (then the old one is removed).
 */
export function versionedName(project: string, name: string, digest: string): string {
  return `${engineName(project, name)}-${digest.replace(/^sha256:/, '').slice(0, 12)}`;
}

/**
 * The service spec of a declared container, with berth's labels on the service and its
 * containers, and `berth.spec-hash` over everything else: a second apply of the same set
 * finds the same hash and makes no update call. Secret and config ids are left empty (they
 * are filled in by name when the objects exist; names are content-addressed, so the hash
 * does not need them). Pure.
 */
export function serviceSpec(
  service: DeclaredService,
  desired: readonly DesiredObject[],
  project: string,
): SwarmServiceSpec {
  const { object, name } = service;
  const spec = object.spec;
  const labels = {
    ...object.labels,
    [LABEL.project]: project,
    [LABEL.kind]: 'Container',
    [LABEL.name]: name,
    ...sourceLabel(object),
  };
  const body: SwarmServiceSpec = {
    Name: engineName(project, name),
    Labels: labels,
    TaskTemplate: {
      ContainerSpec: containerSpec(object, desired, project, labels),
      Resources: resources(object),
      RestartPolicy: {
        Condition: { Always: 'any', OnFailure: 'on-failure', Never: 'none' }[spec.restartPolicy],
        MaxAttempts: 0,
      },
      Placement: { Constraints: [...(object.constraints ?? [])] },
      Networks: spec.networks.map((n) => ({
        Target: declaredEngineName(project, [...desired], 'Network', n.network),
        Aliases: [...new Set([name, ...n.aliases])],
      })),
      ...(spec.logging
        ? { LogDriver: { Name: spec.logging.driver, Options: spec.logging.options } }
        : {}),
    },
    Mode: { Replicated: { Replicas: runs(object) ? service.replicas : 0 } },
    ...updatePolicyOf(object),
    EndpointSpec: {
      Mode: 'dnsrr',
      Ports: spec.ports.map((p) => ({
        Protocol: p.protocol,
        TargetPort: p.containerPort,
        ...(p.hostPort !== undefined ? { PublishedPort: p.hostPort } : {}),
        PublishMode: 'host',
      })),
    },
  };
  // The tasks' hash leaves out what changes no task (replicas): scaling restarts nothing.
  const containers = body.TaskTemplate.ContainerSpec as { Labels: Record<string, string> };
  containers.Labels = { ...labels, [TASK_HASH]: hashValue(body.TaskTemplate) };
  body.Labels = { ...labels, [LABEL.specHash]: hashValue(body) };
  return body;
}

/** `running` (and `paused`, which a service cannot be) run the replicas; the others none. */
function runs(object: ContainerObject): boolean {
  return object.spec.state === 'running' || object.spec.state === 'paused';
}

function containerSpec(
  object: ContainerObject,
  desired: readonly DesiredObject[],
  project: string,
  labels: Record<string, string>,
): Record<string, unknown> {
  const spec = object.spec;
  const optional = {
    Command: spec.command,
    Args: spec.args,
    Hostname: spec.hostname,
    Dir: spec.workingDir,
    User: spec.user,
    Groups: spec.groupAdd,
    TTY: spec.tty,
    OpenStdin: spec.stdin,
    ReadOnly: spec.readOnlyRootFilesystem,
    StopSignal: spec.stopSignal,
    Sysctls: spec.sysctls,
    CapabilityAdd: spec.capAdd,
    CapabilityDrop: spec.capDrop,
    // Docker's `host:ip` becomes the hosts-file line `ip host`.
    Hosts: spec.extraHosts?.map((h) => h.replace(/^([^:]+):(.*)$/, '$2 $1')),
  };
  return {
    Image: spec.image.ref,
    Labels: labels,
    Env: Object.entries(spec.env).map(([k, v]) => `${k}=${v}`),
    ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)),
    Init: spec.init,
    StopGracePeriod: ns(spec.stopGracePeriodMs),
    Mounts: spec.mounts.flatMap((m) => mountOf(m, desired, project)),
    Secrets: fileRefs(spec.mounts, desired, project, 'secret'),
    Configs: fileRefs(spec.mounts, desired, project, 'config'),
    ...(spec.dns || spec.dnsSearch || spec.dnsOptions
      ? {
          DNSConfig: {
            Nameservers: spec.dns ?? [],
            Search: spec.dnsSearch ?? [],
            Options: spec.dnsOptions ?? [],
          },
        }
      : {}),
    ...(spec.healthcheck
      ? {
          Healthcheck: {
            Test: spec.healthcheck.command,
            Interval: ns(spec.healthcheck.intervalMs),
            Timeout: ns(spec.healthcheck.timeoutMs),
            Retries: spec.healthcheck.retries,
            StartPeriod: ns(spec.healthcheck.startPeriodMs),
            ...(spec.healthcheck.startIntervalMs !== undefined && {
              StartInterval: ns(spec.healthcheck.startIntervalMs),
            }),
          },
        }
      : {}),
    ...(spec.ulimits
      ? {
          Ulimits: Object.entries(spec.ulimits).map(([Name, l]) => ({
            Name,
            Soft: l.soft,
            Hard: l.hard,
          })),
        }
      : {}),
  };
}

function resources(object: ContainerObject): Record<string, unknown> {
  const r = object.spec.resources;
  const limits = {
    ...(r.nanoCpus !== undefined ? { NanoCPUs: r.nanoCpus } : {}),
    ...(r.memoryBytes !== undefined ? { MemoryBytes: r.memoryBytes } : {}),
    ...(r.pids !== undefined ? { Pids: r.pids } : {}),
  };
  return {
    Limits: limits,
    ...(r.memoryReservationBytes !== undefined
      ? { Reservations: { MemoryBytes: r.memoryReservationBytes } }
      : {}),
  };
}

/** Volumes, bind mounts and tmpfs as Swarm mounts (on whichever node runs the task). */
function mountOf(
  m: ContainerMount,
  desired: readonly DesiredObject[],
  project: string,
): Record<string, unknown>[] {
  if (m.type === 'tmpfs') {
    const options = {
      ...(m.sizeBytes !== undefined ? { SizeBytes: m.sizeBytes } : {}),
      ...(m.mode !== undefined ? { Mode: m.mode } : {}),
    };
    return [{ Type: 'tmpfs', Target: m.target, TmpfsOptions: options }];
  }
  if (m.type === 'bind') {
    const bind = desired.find((o) => o.kind === 'BindMount' && o.name === m.bindMount);
    const source = bind?.kind === 'BindMount' ? bind.spec.hostPath : m.bindMount;
    return [
      {
        Type: 'bind',
        Source: source,
        Target: m.target,
        ReadOnly: m.readOnly,
        ...(m.propagation ? { BindOptions: { Propagation: m.propagation } } : {}),
      },
    ];
  }
  if (m.type !== 'volume') return [];
  const volume = desired.find((o) => o.kind === 'Volume' && o.name === m.volume);
  const spec = volume?.kind === 'Volume' ? volume.spec : undefined;
  return [
    {
      Type: 'volume',
      Source: declaredEngineName(project, [...desired], 'Volume', m.volume),
      Target: m.target,
      ReadOnly: m.readOnly,
      VolumeOptions: {
        NoCopy: m.noCopy ?? false,
        // The node creates the volume on first use, with berth's labels.
        Labels: { [LABEL.project]: project, [LABEL.kind]: 'Volume', [LABEL.name]: m.volume },
        ...(spec && !spec.external
          ? { DriverConfig: { Name: spec.driver, Options: spec.options } }
          : {}),
      },
    },
  ];
}

function fileRefs(
  mounts: readonly ContainerMount[],
  desired: readonly DesiredObject[],
  project: string,
  type: 'secret' | 'config',
): Record<string, unknown>[] {
  const idKey = type === 'secret' ? 'SecretID' : 'ConfigID';
  const nameKey = type === 'secret' ? 'SecretName' : 'ConfigName';
  return mounts.flatMap((m) => {
    if (m.type !== type) return [];
    const object = desired.find((o) => o.kind.toLowerCase() === type && o.name === m.name);
    const digest = object?.kind === 'Secret' || object?.kind === 'Config' ? object.spec.digest : '';
    return [
      {
        [idKey]: '',
        [nameKey]: versionedName(project, m.name, digest),
        File: {
          Name: m.target,
          UID: String(m.uid ?? 0),
          GID: String(m.gid ?? 0),
          Mode: m.mode,
        },
      },
    ];
  });
}
