import type { ContainerObject, DesiredObject } from '../../specs/model.js';
import { valueOf as storedValue } from '../../specs/file-values.js';
import { fileValueObject, isFileValue, type ValueOf } from './k8s-files.js';
import { declaredName, lossesFor, type ExportLoss } from './k8s-loss.js';
import { podParts, type K8sObject } from './k8s-pod.js';

/** What `berth export kubernetes` produces from one set. */
export interface KubernetesExport {
  /** Each Kubernetes object with the berth object it came from (for files and comments). */
  documents: { from: DesiredObject; object: K8sObject }[];
  /** Everything that could not be carried; empty means lossless (exit 0). */
  losses: ExportLoss[];
}

/** Storage asked for by every claim: berth volumes have no size, a cluster needs one. */
export const DEFAULT_CLAIM_SIZE = '1Gi';

/**
 * Turns a normalised berth set into Kubernetes objects a recent API server accepts:
 * a Deployment per container (a StatefulSet when it writes a named volume), a headless
 * Service per container so pods find each other by name as on a berth network,
 * PersistentVolumeClaims for volumes mounted read-only, a ConfigMap per Config and a
 * Secret per Secret (its value left out: k8s-files.ts). Pure but for `valueOf`, which
 * reads the Config bytes loading kept in memory; losses are returned, not printed.
 * Replica instances (`web-1`, `web-2`) fold back into one workload.
 */
export function exportKubernetes(
  objects: DesiredObject[],
  project: string,
  valueOf: ValueOf = storedValue,
): KubernetesExport {
  const losses: ExportLoss[] = [];
  const documents: KubernetesExport['documents'] = [];
  const claims = new Set<string>();
  for (const container of declaredContainers(objects)) {
    const { workload, service, readOnlyClaims } = containerObjects(
      container,
      objects,
      project,
      losses,
    );
    documents.push(
      { from: container.object, object: workload },
      { from: container.object, object: service },
    );
    readOnlyClaims.forEach((c) => claims.add(c));
  }
  for (const object of objects) {
    if (object.kind === 'Volume' && claims.has(object.name))
      documents.push({ from: object, object: claim(object.name, project) });
    if (isFileValue(object))
      documents.push({ from: object, object: fileValueObject(object, project, valueOf, losses) });
    resourceLosses(object, objects, losses);
  }
  return { documents, losses };
}

interface DeclaredContainer {
  object: ContainerObject;
  replicas: number;
}

/** Containers as declared: the instances of one with `replicas` collapse into it. */
function declaredContainers(objects: DesiredObject[]): DeclaredContainer[] {
  const byName = new Map<string, DeclaredContainer>();
  for (const o of objects) {
    if (o.kind !== 'Container') continue;
    const name = declaredName(o);
    const seen = byName.get(name);
    if (seen) seen.replicas += 1;
    else byName.set(name, { object: o, replicas: o.replica ? 1 : (o.spec.replicas ?? 1) });
  }
  return [...byName.values()];
}

function containerObjects(
  container: DeclaredContainer,
  objects: DesiredObject[],
  project: string,
  losses: ExportLoss[],
) {
  const name = declaredName(container.object);
  const labels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': project };
  const metadata = {
    name,
    labels: { ...labels, 'app.kubernetes.io/managed-by': 'berth' },
    ...annotations(container.object),
  };
  const parts = podParts(container.object, objects, losses);
  const template = { metadata: { labels }, spec: parts.podSpec };
  const common = { replicas: container.replicas, selector: { matchLabels: labels }, template };
  const stateful = parts.writableVolumes.length > 0;
  const workload: K8sObject = stateful
    ? {
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata,
        spec: {
          ...common,
          serviceName: name,
          volumeClaimTemplates: parts.writableVolumes.map((v) => claimTemplate(v)),
        },
      }
    : { apiVersion: 'apps/v1', kind: 'Deployment', metadata, spec: common };
  return {
    workload,
    service: service(container.object, name, labels, metadata),
    readOnlyClaims: parts.sharedVolumes,
  };
}

/** A headless Service: the container's name resolves to its pods, as on a berth network. */
function service(
  container: ContainerObject,
  name: string,
  selector: Record<string, string>,
  metadata: K8sObject['metadata'],
): K8sObject {
  const seen = new Set<string>();
  const ports = container.spec.ports
    .map((p) => ({ port: p.containerPort, protocol: p.protocol.toUpperCase() }))
    .filter((p) => !seen.has(`${p.port}/${p.protocol}`) && seen.add(`${p.port}/${p.protocol}`))
    .map((p) => ({ name: `${p.protocol.toLowerCase()}-${p.port}`, ...p, targetPort: p.port }));
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, labels: metadata.labels ?? {} },
    spec: { clusterIP: 'None', selector, ...(ports.length ? { ports } : {}) },
  };
}

/** berth's own labels travel as annotations: their values need not be Kubernetes label values. */
function annotations(object: DesiredObject) {
  return Object.keys(object.labels).length ? { annotations: { ...object.labels } } : {};
}

function claim(name: string, project: string): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {
      name,
      labels: { 'app.kubernetes.io/part-of': project, 'app.kubernetes.io/managed-by': 'berth' },
    },
    spec: claimSpec(),
  };
}

function claimTemplate(name: string) {
  return { metadata: { name }, spec: claimSpec() };
}

function claimSpec() {
  return {
    accessModes: ['ReadWriteOnce'],
    resources: { requests: { storage: DEFAULT_CLAIM_SIZE } },
  };
}

/** What Images, Networks and Volumes declare that has no place in the output. */
function resourceLosses(
  object: DesiredObject,
  objects: DesiredObject[],
  losses: ExportLoss[],
): void {
  const lose = lossesFor(object, losses);
  if (object.kind === 'Image' && object.spec.build)
    lose('spec.build', `build and push ${object.spec.ref} to a registry the cluster pulls from`);
  if (object.kind === 'Network') {
    if (object.spec.internal) lose('spec.internal', 'use a NetworkPolicy to isolate the pods');
    if (object.spec.ipam) lose('spec.ipam', 'the cluster assigns pod addresses');
    if (object.spec.enableIPv6) lose('spec.enableIPv6', 'the cluster assigns pod addresses');
    if (object.spec.driver !== 'bridge')
      lose('spec.driver', `${object.spec.driver}: pods share the cluster network`);
  }
  if (object.kind === 'Volume') {
    if (object.spec.driver !== 'local' || Object.keys(object.spec.options).length)
      lose('spec.driver', 'choose a StorageClass for the claims instead of driver options');
    const writers = new Set(
      objects
        .filter(
          (o) =>
            o.kind === 'Container' &&
            o.spec.mounts.some(
              (m) => m.type === 'volume' && m.volume === object.name && !m.readOnly,
            ),
        )
        .map(declaredName),
    );
    if (writers.size > 1)
      lose(
        'metadata.name',
        `written by ${[...writers].join(', ')}: each StatefulSet gets its own claim`,
      );
  }
}
