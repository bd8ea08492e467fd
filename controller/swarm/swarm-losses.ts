import type { ContainerObject, DesiredObject } from '../../specs/model.js';
import { lossesFor, type ExportLoss } from '../export/k8s-loss.js';

/** Container fields a Swarm service has no place for (API 1.41), with why. */
const CONTAINER_FIELDS: [keyof ContainerObject['spec'], string][] = [
  ['dependsOn', 'a Swarm starts services independently; services retry until their peers answer'],
  ['privileged', 'Swarm services cannot run privileged containers'],
  ['devices', 'Swarm services cannot map host devices'],
  ['gpus', 'GPUs are generic resources of the nodes on a Swarm'],
  ['networkMode', 'Swarm services join networks, not another container or the host stack'],
  ['ipc', 'Swarm services have no IPC mode'],
  ['pid', 'Swarm services have no PID mode'],
  ['shmSizeBytes', 'Swarm services have no shm size (mount a tmpfs on /dev/shm)'],
  ['securityOpt', 'Swarm services take no security options'],
  ['domainname', 'Swarm services have no domain name'],
  ['expose', 'on an overlay network every port of a task is reachable'],
  ['platform', 'the nodes run the image variant of their own platform'],
  ['runtime', 'Swarm services run under the default runtime of their nodes'],
];

/**
 * What `--backend swarm` cannot carry, named as `export kubernetes` names its losses; the
 * rest of the object is applied. Pure.
 */
export function swarmLosses(objects: readonly DesiredObject[]): ExportLoss[] {
  const losses: ExportLoss[] = [];
  const seen = new Set<string>();
  for (const o of objects) {
    const name = o.kind === 'Container' && o.replica ? o.replica.of : o.name;
    if (seen.has(`${o.kind}/${name}`)) continue;
    seen.add(`${o.kind}/${name}`);
    const lose = lossesFor(o, losses);
    if (o.kind === 'Container') containerLosses(o, lose);
    if (o.kind === 'Image' && o.spec.build)
      lose('spec.build', `not built on the Swarm: every node must have ${o.spec.ref} (or pull it)`);
    if (
      o.kind === 'Network' &&
      !o.spec.external &&
      o.spec.driver !== 'overlay' &&
      o.name !== 'default'
    )
      lose('spec.driver', `${o.spec.driver}: on a Swarm every network is an attachable overlay`);
    if (o.kind === 'Network' && !o.spec.external && (o.spec.ipamMore || o.spec.enableIPv6))
      lose('spec.ipam', 'the Swarm overlay takes the first subnet only, without IPv6');
    if (o.kind === 'BindMount' && o.spec.type.endsWith('OrCreate'))
      lose(
        'spec.type',
        `${o.spec.type}: the host path must already exist on every node that runs a task`,
      );
  }
  return losses;
}

function containerLosses(o: ContainerObject, lose: (field: string, why: string) => void): void {
  const spec = o.spec;
  for (const [field, why] of CONTAINER_FIELDS) {
    const value = spec[field];
    const set = Array.isArray(value) ? value.length > 0 : value !== undefined && value !== false;
    if (set) lose(`spec.${field}`, why);
  }
  if (spec.state === 'paused')
    lose('spec.state', 'paused: a Swarm service cannot be paused; it runs');
  spec.ports.forEach((p, i) => {
    if (p.hostPortEnd !== undefined)
      lose(
        `spec.ports[${i}].hostPortEnd`,
        `a Swarm publishes one port per binding: ${p.hostPort}, the first of the range`,
      );
    if (p.hostIP && p.hostIP !== '0.0.0.0')
      lose(
        `spec.ports[${i}].hostIP`,
        `${p.hostIP}: a Swarm publishes on every address of the node`,
      );
  });
  spec.mounts.forEach((m, i) => {
    if ((m.type === 'bind' || m.type === 'volume') && m.selinux)
      lose(`spec.mounts[${i}].selinux`, 'Swarm mounts have no SELinux relabel option');
    if (m.type === 'tmpfs' && (m.uid !== undefined || m.gid !== undefined))
      lose(`spec.mounts[${i}]`, 'a Swarm tmpfs takes a size and a mode, no owner');
    if (m.type === 'tmpfs' && m.options?.length)
      lose(`spec.mounts[${i}].options`, 'a Swarm tmpfs takes a size and a mode, no mount flags');
  });
  spec.networks.forEach((n, i) => {
    if (n.ipv4Address || n.ipv6Address || n.macAddress)
      lose(`spec.networks[${i}]`, 'Swarm tasks get their addresses from the overlay network');
  });
  if (spec.update?.healthTimeoutMs !== undefined)
    lose('spec.update.healthTimeout', "the Swarm waits for a task's own healthcheck");
  const r = spec.resources;
  if (r.cpuset || r.cpuShares || r.memorySwapBytes || r.oomScoreAdj)
    lose('spec.resources', 'a Swarm service limits only cpus, memory and pids');
}
