import { objectKey, type DesiredObject, type ObjectKey } from '../../specs/model.js';
import type {
  ContainerDetails,
  Engine,
  ObservedContainer,
  ObservedState,
} from '../engine/engine.js';
import { LABEL } from '../labels.js';
import type { RestartMemory } from '../plan/plan-input.js';
import type { Plan } from '../plan/plan-types.js';
import { readHistory, readLastApplied } from '../records/records.js';
import { containerIdsOf, readRestarts, restartsFor } from '../records/restarts.js';
import { readStarts } from '../records/starts.js';
import type { HistoryEntry } from '../records/record-types.js';
import { buildProjectStatus } from './build-status.js';
import { needsDetails } from './readiness.js';
import { rememberMountedSecrets } from '../records/mounted-secrets.js';
import { observeProject, planProject } from '../observe.js';
import type { DesiredSource, ProjectStatus } from './status-types.js';
import { ownedContainerName } from '../container-names.js';

/** What one status query compares: the desired set (from files or the record) and its source. */
export interface DesiredInput {
  objects: DesiredObject[];
  source: DesiredSource;
  /** Why there is nothing (or nothing trustworthy) to compare against. */
  notice?: string;
}

/** Everything a status command renders from: one observation, one plan, one status. */
export interface ProjectView {
  status: ProjectStatus;
  desired: DesiredObject[];
  observed: ObservedState;
  plan: Plan;
  history: HistoryEntry[];
}

/**
 * The desired side of a status query without -f: the last applied set. A missing or corrupt
 * record is a notice, not a failure.
 */
export async function desiredFromRecord(stateDir: string, project: string): Promise<DesiredInput> {
  const last = await readLastApplied(stateDir, project);
  if (last.ok) return { objects: last.value.objects, source: 'last-applied' };
  const notice =
    last.problem.reason === 'missing'
      ? `no apply recorded for project ${project}; run berth apply -f PATH, or compare with -f PATH`
      : `the record ${last.problem.path} is ${last.problem.reason} (${last.problem.message}) [E_RECORD]; run berth apply -f PATH to rewrite it`;
  return { objects: [], source: 'none', notice };
}

export interface ViewRequest {
  stateDir: string;
  project: string;
  desired: DesiredInput;
  now: number;
  /**
   * Inspect these containers by declared name (describe of one object). By default only the
   * containers whose list entry cannot settle their readiness are inspected (`needsDetails`:
   * restarting, unhealthy, restarted moments ago), so status costs the four list calls for a
   * project that is up and ready, whatever its size.
   */
  inspect?: string[];
  /**
   * berth's own restarts and back-off per container (a running controller's tracker). The
   * restarts the project's records keep (records/restarts.ts) count too, so a command run
   * beside or after `berth watch` shows what the controller did.
   */
  berthRestarts?: (key: ObjectKey) => { restarts: number; backoffMs: number } | undefined;
  /** A running controller's last failed reconcile per key (build-status.ts `liveFailure`). */
  liveFailure?: (key: ObjectKey) => string | undefined;
  /** An observation already made (of every project, for `get --all-projects`). */
  observed?: ObservedState;
}

/**
 * Observes the project once (the four list calls; a name lookup when declared objects are
 * missing or external; one inspect per container `needsDetails` picks, the project's start
 * records telling which starts were berth's), plans against the
 * desired set with prune (to list leftovers), and builds the status from that plan.
 * Restarts are berth's own (records, the controller) plus the engine's restart count of the
 * containers that were inspected: a container up and ready for longer than the crash-loop
 * window shows berth's count; `describe` inspects it and shows the engine's too.
 */
export async function loadProjectView(engine: Engine, request: ViewRequest): Promise<ProjectView> {
  const { project, desired } = request;
  const [{ observed, hostPaths, unowned, externals }, history, recorded, starts] =
    await Promise.all([
      observeProject(
        engine,
        project,
        desired.objects,
        request.observed ? onlyProject(request.observed, project) : undefined,
      ),
      readHistory(request.stateDir, project),
      readRestarts(request.stateDir, project),
      readStarts(request.stateDir, project),
    ]);
  const details = await inspectNamed(engine, project, observed, request.inspect, (c) =>
    needsDetails(c, request.now, starts[c.id]),
  );
  // Only an inspect quotes a container's output (its probe's): every view of this status
  // (status, get, describe, the status API, the web view) hides the Secrets it mounts (F562).
  if (details.length) await rememberMountedSecrets(request.stateDir, project);
  // What only an inspect says is planned on too: a run the OOM killer ended (F464).
  const seen = withOomKilled(observed, details);
  const projectPlan = await planProject(engine, {
    project,
    desired: desired.objects,
    observed: seen,
    hostPaths,
    unowned,
    externals,
    prune: true,
    ...(request.berthRestarts ? { restarts: backoffMemory(desired.objects, request) } : {}),
  });
  const entries = history.ok ? history.value : [];
  const notice =
    desired.notice ??
    (history.ok ? undefined : `${history.problem.path}: ${history.problem.message} [E_RECORD]`);
  const status = buildProjectStatus({
    project,
    desired: desired.objects,
    observed: seen,
    plan: projectPlan,
    lastApply: entries[0],
    details,
    berthRestarts: (key) => {
      const live = request.berthRestarts?.(key);
      const kept = restartsFor(recorded, key, containerIdsOf(project, observed, key));
      return { restarts: Math.max(live?.restarts ?? 0, kept), backoffMs: live?.backoffMs ?? 0 };
    },
    desiredSource: desired.source,
    ...(request.liveFailure ? { liveFailure: request.liveFailure } : {}),
    notice,
    now: request.now,
  });
  return {
    status,
    desired: desired.objects,
    observed: seen,
    plan: projectPlan,
    history: entries,
  };
}

/** The observation with `oomKilled` set on the containers whose inspect says so. Pure. */
function withOomKilled(observed: ObservedState, details: ContainerDetails[]): ObservedState {
  const killed = new Set(details.filter((d) => d.oomKilled).map((d) => d.id));
  if (killed.size === 0) return observed;
  return {
    ...observed,
    containers: observed.containers.map((c) => (killed.has(c.id) ? { ...c, oomKilled: true } : c)),
  };
}

/**
 * A running controller's back-off per declared container, for the planner: a restart it
 * holds back then reads as waiting in `plan` and `status`, as the controller sees it.
 */
function backoffMemory(
  objects: readonly DesiredObject[],
  request: ViewRequest,
): Map<ObjectKey, RestartMemory> {
  const keys = objects.filter((o) => o.kind === 'Container').map(objectKey);
  return new Map(
    keys.map((key) => [key, { backoffMs: request.berthRestarts?.(key)?.backoffMs ?? 0 }]),
  );
}

async function inspectNamed(
  engine: Engine,
  project: string,
  observed: ObservedState,
  names: string[] | undefined,
  needed: (c: ObservedContainer) => boolean,
): Promise<ContainerDetails[]> {
  const ids = observed.containers
    .filter(
      (c) =>
        c.labels[LABEL.project] === project &&
        (names === undefined ? needed(c) : names.includes(ownedContainerName(c, project) ?? '')),
    )
    .map((c) => c.id);
  const details = await Promise.all(ids.map((id) => engine.inspectContainer(id)));
  return details.filter((d) => d !== undefined);
}

/** The part of an all-projects observation that belongs to one project (images are shared). */
export function onlyProject(observed: ObservedState, project: string): ObservedState {
  const mine = (o: { labels: Record<string, string> }) => o.labels[LABEL.project] === project;
  return {
    containers: observed.containers.filter(mine),
    networks: observed.networks.filter(mine),
    volumes: observed.volumes.filter(mine),
    images: observed.images,
  };
}
