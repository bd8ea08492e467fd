import type { ContainerObject, DesiredObject, FileMount, Healthcheck } from '../../specs/model.js';
import { fileMountParts, podFsGroup } from './k8s-files.js';
import { lossesFor, type ExportLoss } from './k8s-loss.js';

export type { K8sObject } from './k8s-object.js';

/** What the pod template of one declared container is made of. */
export interface PodParts {
  /** `spec.template.spec` of the workload. */
  podSpec: Record<string, unknown>;
  /** Named volumes the container writes: a StatefulSet gets a claim template for each. */
  writableVolumes: string[];
  /** Named volumes mounted read-only: standalone PersistentVolumeClaims. */
  sharedVolumes: string[];
}

const PROTOCOLS = { tcp: 'TCP', udp: 'UDP', sctp: 'SCTP' } as const;

/**
 * The pod spec for a declared container (Kubernetes `core/v1` PodSpec). Fields with an exact
 * equivalent are mapped (command → command, args → args, ports with hostPort/hostIP, probes
 * from the healthcheck, resources, securityContext); everything else is named as a loss.
 */
export function podParts(
  container: ContainerObject,
  objects: DesiredObject[],
  losses: ExportLoss[],
): PodParts {
  const lose = lossesFor(container, losses);
  const spec = container.spec;
  const writableVolumes: string[] = [];
  const sharedVolumes: string[] = [];
  const volumes: Record<string, unknown>[] = [];
  const volumeMounts: Record<string, unknown>[] = [];
  const fileMounts: { mount: FileMount; index: number }[] = [];
  spec.mounts.forEach((m, i) => {
    if (m.type === 'secret' || m.type === 'config') {
      const parts = fileMountParts(m, i, lose);
      volumes.push(parts.volume);
      volumeMounts.push(parts.volumeMount);
      fileMounts.push({ mount: m, index: i });
      return;
    }
    const volumeName =
      m.type === 'tmpfs' ? `tmpfs-${i}` : m.type === 'bind' ? m.bindMount : m.volume;
    volumeMounts.push({
      name: volumeName,
      mountPath: m.target,
      ...(m.type !== 'tmpfs' && m.readOnly ? { readOnly: true } : {}),
    });
    if (m.type !== 'tmpfs' && m.selinux)
      lose(`spec.mounts[${i}].selinux`, "a pod's seLinuxOptions label it, not a mount option");
    if (m.type === 'tmpfs') {
      if (m.uid !== undefined || m.gid !== undefined)
        lose(`spec.mounts[${i}]`, "an emptyDir's owner is the pod's fsGroup, not a mount option");
      if (m.options?.length) lose(`spec.mounts[${i}].options`, 'an emptyDir takes no mount flags');
      const sizeLimit = m.sizeBytes === undefined ? {} : { sizeLimit: String(m.sizeBytes) };
      volumes.push({ name: volumeName, emptyDir: { medium: 'Memory', ...sizeLimit } });
    } else if (m.type === 'bind') {
      const bind = objects.find((o) => o.kind === 'BindMount' && o.name === m.bindMount);
      const hostPath = bind?.kind === 'BindMount' ? bind.spec : undefined;
      volumes.push({
        name: volumeName,
        hostPath: { path: hostPath?.hostPath ?? '', type: hostPath?.type ?? 'DirectoryOrCreate' },
      });
    } else if (m.readOnly) {
      sharedVolumes.push(m.volume);
      volumes.push({
        name: volumeName,
        persistentVolumeClaim: { claimName: m.volume, readOnly: true },
      });
    } else writableVolumes.push(m.volume);
  });

  const image = spec.image.object
    ? objects.find((o) => o.kind === 'Image' && o.name === spec.image.object)
    : undefined;
  const main: Record<string, unknown> = {
    name: container.replica?.of ?? container.name,
    image: spec.image.ref,
    ...(image?.kind === 'Image' ? { imagePullPolicy: image.spec.pullPolicy } : {}),
    ...(spec.command ? { command: spec.command } : {}),
    ...(spec.args ? { args: spec.args } : {}),
    ...(Object.keys(spec.env).length
      ? { env: Object.entries(spec.env).map(([name, value]) => ({ name, value })) }
      : {}),
    ...(spec.ports.length
      ? {
          ports: spec.ports.map((p) => ({
            containerPort: p.containerPort,
            protocol: PROTOCOLS[p.protocol],
            ...(p.hostPort !== undefined ? { hostPort: p.hostPort } : {}),
            ...(p.hostIP ? { hostIP: p.hostIP } : {}),
          })),
        }
      : {}),
    ...(volumeMounts.length ? { volumeMounts } : {}),
    ...(spec.workingDir ? { workingDir: spec.workingDir } : {}),
    ...resources(container, lose),
    ...probes(spec.healthcheck),
    ...securityContext(container, lose),
  };
  notCarried(container, lose);
  const fsGroup = podFsGroup(fileMounts, lose);
  return {
    podSpec: {
      containers: [main],
      ...(volumes.length ? { volumes } : {}),
      ...(fsGroup !== undefined ? { securityContext: { fsGroup } } : {}),
      terminationGracePeriodSeconds: Math.ceil(spec.stopGracePeriodMs / 1000),
    },
    writableVolumes,
    sharedVolumes,
  };
}

function resources(container: ContainerObject, lose: (f: string, why: string) => void) {
  const r = container.spec.resources;
  const limits: Record<string, string> = {};
  if (r.memoryBytes !== undefined) limits.memory = String(r.memoryBytes);
  if (r.nanoCpus !== undefined) limits.cpu = `${Math.round(r.nanoCpus / 1e6)}m`;
  if (r.pids !== undefined)
    lose(
      'spec.resources.pids',
      'Kubernetes limits PIDs per node (kubelet podPidsLimit), not per pod',
    );
  return Object.keys(limits).length ? { resources: { limits } } : {};
}

/** Readiness from the healthcheck; liveness too when berth would restart on `unhealthy`. */
function probes(check: Healthcheck | undefined) {
  if (!check) return {};
  const [form, ...rest] = check.command;
  if (form === 'NONE') return {};
  const command =
    form === 'CMD-SHELL'
      ? ['/bin/sh', '-c', rest.join(' ')]
      : form === 'CMD'
        ? rest
        : check.command;
  const probe = {
    exec: { command },
    periodSeconds: Math.max(1, Math.round(check.intervalMs / 1000)),
    timeoutSeconds: Math.max(1, Math.round(check.timeoutMs / 1000)),
    failureThreshold: Math.max(1, check.retries),
    ...(check.startPeriodMs ? { initialDelaySeconds: Math.round(check.startPeriodMs / 1000) } : {}),
  };
  return { readinessProbe: probe, ...(check.restartOnUnhealthy ? { livenessProbe: probe } : {}) };
}

function securityContext(container: ContainerObject, lose: (f: string, why: string) => void) {
  const spec = container.spec;
  const context: Record<string, unknown> = {};
  if (spec.privileged) context.privileged = true;
  if (spec.user) {
    const m = /^(\d+)(?::(\d+))?$/.exec(spec.user);
    if (m) {
      context.runAsUser = Number(m[1]);
      if (m[2] !== undefined) context.runAsGroup = Number(m[2]);
    } else lose('spec.user', `"${spec.user}" is a name; Kubernetes takes numeric ids (runAsUser)`);
  }
  return Object.keys(context).length ? { securityContext: context } : {};
}

/** Fields with no Kubernetes equivalent at all. */
function notCarried(container: ContainerObject, lose: (f: string, why: string) => void): void {
  const spec = container.spec;
  if (spec.state !== 'running')
    lose('spec.state', `${spec.state}: Kubernetes keeps every pod of a workload running`);
  if (spec.restartPolicy !== 'Always')
    lose(
      'spec.restartPolicy',
      `${spec.restartPolicy}: a Deployment always restarts; run-to-completion needs a Job`,
    );
  spec.ports.forEach((p, i) => {
    if (p.hostPortEnd !== undefined)
      lose(
        `spec.ports[${i}].hostPortEnd`,
        `a hostPort is one port: ${p.hostPort}, the first of the range`,
      );
  });
  if (spec.dependsOn.length)
    lose(
      'spec.dependsOn',
      'Kubernetes starts pods independently; readiness probes gate traffic instead',
    );
  if (spec.runtime)
    lose('spec.runtime', `${spec.runtime}: name a RuntimeClass of the cluster in runtimeClassName`);
  if (spec.init) lose('spec.init', 'pods have no engine init; use an image with one (tini)');
  // The Service carries the declared name (a replica's implicit alias); other aliases need their own.
  const implicit = new Set([container.name, container.replica?.of]);
  spec.networks.forEach((n, i) => {
    if (n.aliases.some((a) => !implicit.has(a)))
      lose(
        `spec.networks[${i}].aliases`,
        'one Service per container name; add Services for the aliases',
      );
  });
}
