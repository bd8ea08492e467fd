import { LABEL } from '../labels.js';
import { TASK_HASH } from '../engine/swarm/swarm-service-spec.js';
import type {
  ObservedService,
  ObservedTask,
  SwarmObserved,
  SwarmServiceSpec,
} from '../engine/swarm/swarm-types.js';

/** One task of a service, as status shows it. */
export interface SwarmTaskRow {
  slot: number;
  node: string;
  state: string;
  desiredState: string;
  /** True when it runs the service's current spec. */
  current: boolean;
  error?: string;
}

/** One declared container on a Swarm: desired vs running replicas, and why they differ. */
export interface SwarmServiceStatus {
  key: string;
  /** The Swarm service's name (`<project>-<name>`). */
  service: string;
  desiredReplicas: number;
  /** Tasks running the current spec. */
  runningReplicas: number;
  /** The service's spec is the declared one (`berth.spec-hash`). */
  inSync: boolean;
  /** In sync, every desired replica running the current spec, and no older task left running. */
  ready: boolean;
  reason?: string;
  tasks: SwarmTaskRow[];
}

/** What status compares a service against: from the manifests, or from the service itself. */
export interface WantedService {
  /** `Container/web`. */
  key: string;
  /** The Swarm service's name. */
  service: string;
  replicas: number;
  specHash: string;
  taskHash: string;
}

/** The services the manifests declare (`specs` by key, as the plan built them). */
export function wantedFromSpecs(specs: ReadonlyMap<string, SwarmServiceSpec>): WantedService[] {
  return [...specs].map(([key, spec]) => ({
    key,
    service: spec.Name,
    replicas: spec.Mode.Replicated.Replicas,
    specHash: spec.Labels[LABEL.specHash] ?? '',
    taskHash:
      (spec.TaskTemplate.ContainerSpec as { Labels: Record<string, string> }).Labels[TASK_HASH] ??
      '',
  }));
}

/** Without manifests: each of the project's services against its own spec. */
export function wantedFromEngine(observed: SwarmObserved): WantedService[] {
  return observed.services.map((s) => ({
    key: `Container/${s.labels[LABEL.name] ?? s.name}`,
    service: s.name,
    replicas: s.replicas,
    specHash: s.labels[LABEL.specHash] ?? '',
    taskHash: s.taskHash ?? '',
  }));
}

/**
 * The status of each wanted service from one observe: tasks whose container labels carry
 * the current `berth.task-hash` count as running replicas; a paused or rolled-back update,
 * else the newest task error, is the reason. Pure.
 */
export function swarmStatus(
  wanted: readonly WantedService[],
  observed: SwarmObserved,
): SwarmServiceStatus[] {
  return wanted.map((w) => {
    const found = observed.services.find((s) => s.name === w.service);
    if (!found)
      return {
        key: w.key,
        service: w.service,
        desiredReplicas: w.replicas,
        runningReplicas: 0,
        inSync: false,
        ready: false,
        reason: 'not created yet',
        tasks: [],
      };
    return serviceStatus(w, found, observed.tasks);
  });
}

function serviceStatus(
  w: WantedService,
  found: ObservedService,
  allTasks: readonly ObservedTask[],
): SwarmServiceStatus {
  const tasks = allTasks
    .filter((t) => t.serviceId === found.id)
    .sort((a, b) => a.slot - b.slot || b.updatedAt - a.updatedAt);
  const rows: SwarmTaskRow[] = tasks.map((t) => ({
    slot: t.slot,
    node: t.nodeId,
    state: t.state,
    desiredState: t.desiredState,
    current: t.labels[TASK_HASH] === w.taskHash,
    ...(t.error ? { error: t.error } : {}),
  }));
  const live = rows.filter((t) => t.desiredState === 'running' || t.state === 'running');
  const running = live.filter((t) => t.current && t.state === 'running').length;
  const stale = live.some((t) => !t.current);
  // Scaled behind berth's back keeps the labels: the replica count says so.
  const inSync = found.labels[LABEL.specHash] === w.specHash && found.replicas === w.replicas;
  // The Swarm watches each new task for `Monitor` after it starts: done only once it says so.
  const rolling = found.updateState === 'updating' || found.updateState === 'rollback_started';
  const ready = inSync && running === w.replicas && !stale && !rolling;
  const reason = ready ? undefined : reasonOf(w, found, tasks, running);
  return {
    key: w.key,
    service: w.service,
    desiredReplicas: w.replicas,
    runningReplicas: running,
    inSync,
    ready,
    ...(reason ? { reason } : {}),
    tasks: rows,
  };
}

/** How a reason that `waitForServices` stops at begins: someone else changed the service. */
export const CHANGED_OUTSIDE = 'changed outside berth';

function reasonOf(
  w: WantedService,
  found: ObservedService,
  tasks: readonly ObservedTask[],
  running: number,
): string {
  // A rolled-back service has its previous spec again: say why before "not in sync".
  if (found.updateState && /paused|rollback/.test(found.updateState))
    return `update ${found.updateState.replace('_', ' ')}: ${found.updateMessage ?? ''}`.trim();
  if (found.labels[LABEL.specHash] !== w.specHash)
    return 'spec changed: apply to update the service';
  if (found.replicas !== w.replicas)
    return `${CHANGED_OUTSIDE}: scaled to ${found.replicas} (declared ${w.replicas}); apply to put it back`;
  const failed = [...tasks].filter((t) => t.error).sort((a, b) => b.updatedAt - a.updatedAt)[0];
  const counts = `${running}/${w.replicas} replicas running`;
  return failed ? `${counts}; task ${failed.state}: ${failed.error}` : `${counts}; updating`;
}
