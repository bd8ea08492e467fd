import { stat } from 'node:fs/promises';
import { scaledToZero } from '../specs/expand.js';
import type { DesiredObject, Kind } from '../specs/model.js';
import type { Engine, ObserveOptions, ObservedState } from './engine/engine.js';
import { desiredEngineName, holderOf, LABEL } from './labels.js';
import type { HostPathKind, PlanInput } from './plan/plan-input.js';
import { plan } from './plan/plan.js';
import type { Plan } from './plan/plan-types.js';
import { runRecovery } from './executor/run-recovery.js';
import { nameRepairSteps } from './plan/name-repairs.js';
import { isUpdateLeftover, recoverySteps, type RecoveryStep } from './plan/recovery-steps.js';
import { plannedTemporaryNames } from './plan/update-names-taken.js';
import { ownedKey } from './container-names.js';
import { withRestartCounts } from './restart-counts.js';

export interface Observation {
  observed: ObservedState;
  hostPaths: Map<string, HostPathKind>;
  unowned: NonNullable<PlanInput['unowned']>;
  /** `Kind/name` of the declared external networks and volumes the engine has. */
  externals: Set<string>;
  /**
   * The recovery steps run before the snapshot was taken (`recoverUpdates`: a name given
   * back, an interrupted update finished or undone), so the writer can say what it repaired.
   */
  recovered: RecoveryStep[];
}

/**
 * One snapshot of what is real: the engine's objects of the project and the declared
 * external networks and volumes (four list calls whatever their number), the host paths the
 * declared bind mounts name, and — only when declared objects are missing — whether their
 * engine names are taken by objects berth does not own (at most three more list calls).
 * A converged project costs four calls, externals or not.
 */
export async function observeProject(
  engine: Engine,
  project: string,
  desired: readonly DesiredObject[],
  already?: ObservedState,
  options: ObserveProjectOptions = {},
): Promise<Observation> {
  const request = observeRequest(project, desired);
  const [first, hostPaths] = await Promise.all([
    already ?? engine.observe(request),
    observeHostPaths(desired),
  ]);
  const ran: RecoveryStep[] = [];
  const listed = options.recoverUpdates ? await recovered(engine, request, first, ran) : first;
  const observed = await withRestartCounts(engine, desired, listed);
  const [unowned, externals] = await Promise.all([
    findUnowned(engine, project, desired, observed),
    findExternals(engine, desired, observed),
  ]);
  return { observed, hostPaths, unowned, externals, recovered: ran };
}

/** What {@link observeProject} asks the engine: the project, and the declared externals by name. */
export function observeRequest(project: string, desired: readonly DesiredObject[]): ObserveOptions {
  return { project, ...externalNames(desired) };
}

export interface ObserveProjectOptions {
  /**
   * Before the snapshot is taken, give containers renamed outside berth their own engine
   * names back (plan/name-repairs.ts), and finish or undo updates an earlier berth was
   * killed in the middle of (leftover `-next` / `-prev` containers); for the writers (apply,
   * watch), never for `plan` or `status`. Costs nothing when there are none.
   */
  recoverUpdates?: boolean;
}

/**
 * Containers renamed outside berth get their own names back first (so that an update's
 * leftover can take its name), then unfinished updates are finished or undone; each round
 * observes again only when it ran a step.
 */
async function recovered(
  engine: Engine,
  request: ObserveOptions,
  observed: ObservedState,
  ran: RecoveryStep[],
) {
  let current = observed;
  for (const stepsFor of [nameRepairSteps, recoverySteps]) {
    const steps = stepsFor(current.containers, request.project ?? '');
    if (steps.length === 0) continue;
    ran.push(...(await runRecovery(engine, steps)));
    current = await engine.observe(request);
  }
  return current;
}

export async function observeHostPaths(
  desired: readonly DesiredObject[],
): Promise<Map<string, HostPathKind>> {
  const paths = desired.flatMap((o) => (o.kind === 'BindMount' ? [o.spec.hostPath] : []));
  const kinds = await Promise.all(paths.map(hostPathKind));
  return new Map(paths.map((p, i) => [p, kinds[i] as HostPathKind]));
}

async function hostPathKind(path: string): Promise<HostPathKind> {
  try {
    const s = await stat(path);
    return s.isDirectory() ? 'directory' : s.isSocket() ? 'socket' : 'file';
  } catch {
    return 'absent';
  }
}

const ENGINE_NAMED: Partial<Record<Kind, 'containers' | 'networks' | 'volumes'>> = {
  Container: 'containers',
  Network: 'networks',
  Volume: 'volumes',
};

/**
 * Declared containers, networks and volumes missing from the label-filtered observation
 * whose engine name is taken anyway: an object without our labels there is a conflict
 * (DESIGN.md, "Identity and ownership"), never adopted.
 */
export async function findUnowned(
  engine: Engine,
  project: string,
  desired: readonly DesiredObject[],
  observed: ObservedState,
): Promise<NonNullable<PlanInput['unowned']>> {
  // Owned objects by `Kind/name`, with the engine names they are under.
  const present = new Map<string, Set<string>>();
  for (const list of [observed.containers, observed.networks, observed.volumes]) {
    for (const o of list) {
      const key = o.labels[LABEL.kind] ? ownedKey(o, project) : undefined;
      if (key) present.set(key, (present.get(key) ?? new Set()).add(o.name));
    }
  }
  // A network or volume whose engine name changed (spec.name, F134) is missing under the new
  // one: a foreign object there is a conflict too. Containers renamed outside berth are not
  // (name-repairs.ts gives them their names back).
  const isPresent = (o: DesiredObject): boolean => {
    const names = present.get(`${o.kind}/${o.name}`);
    if (o.kind !== 'Network' && o.kind !== 'Volume') return names !== undefined;
    return names?.has(desiredEngineName(project, o)) ?? false;
  };
  // A container declared with replicas: 0 has no engine name to take.
  const missing = desired.filter(
    (o) => ENGINE_NAMED[o.kind] && !externalName(o) && !scaledToZero(o) && !isPresent(o),
  );
  if (missing.length === 0) return [];
  const lookup: Record<'containers' | 'networks' | 'volumes', string[]> = {
    containers: [],
    networks: [],
    volumes: [],
  };
  for (const o of missing)
    lookup[ENGINE_NAMED[o.kind] as keyof typeof lookup].push(desiredEngineName(project, o));
  const found = await engine.lookupNames(lookup);
  const taken = new Map<string, Record<string, string>>();
  for (const kind of ['containers', 'networks', 'volumes'] as const) {
    for (const o of found[kind]) taken.set(`${kind}:${o.name}`, o.labels);
  }
  return missing.flatMap((o) => {
    const name = desiredEngineName(project, o);
    const labels = taken.get(`${ENGINE_NAMED[o.kind]}:${name}`);
    if (!labels) return [];
    // A container of ours under another declared name was renamed outside berth: the writers
    // give it its own name back before they plan (name-repairs.ts). Unlabelled is foreign.
    // A container run from an image berth built carries the image's labels (F264): its kind
    // label says Image, and it is not ours.
    const ours =
      labels[LABEL.project] === project &&
      (labels[LABEL.kind] ?? o.kind) === o.kind &&
      (labels[LABEL.name] === o.name || o.kind === 'Container');
    if (ours) return [];
    return [{ kind: o.kind, name: o.name, engineName: name, holder: holderOf(o.kind, labels) }];
  });
}

function externalName(o: DesiredObject): string | undefined {
  return o.kind === 'Network' || o.kind === 'Volume' ? o.spec.external?.name : undefined;
}

/** The engine names of the declared external networks and volumes, for `observe`. */
function externalNames(desired: readonly DesiredObject[]): Pick<ObserveOptions, 'named'> {
  const names = (kind: Kind) =>
    desired.flatMap((o) => (o.kind === kind && externalName(o) ? [externalName(o) as string] : []));
  const [networks, volumes] = [names('Network'), names('Volume')];
  return networks.length || volumes.length ? { named: { networks, volumes } } : {};
}

/**
 * Which declared external networks and volumes exist, by their own engine names: read from
 * the observation's `named` lists (no call), or — when the observation has none (an engine
 * that ignores `named`, an observation of every project) — one lookup call.
 */
export async function findExternals(
  engine: Engine,
  desired: readonly DesiredObject[],
  observed?: ObservedState,
): Promise<Set<string>> {
  const { named } = externalNames(desired);
  if (!named) return new Set();
  const found =
    observed?.named ??
    (await engine.lookupNames({
      containers: [],
      networks: [...(named.networks ?? [])],
      volumes: [...(named.volumes ?? [])],
    }));
  const have = new Set([
    ...found.networks.map((n) => `Network/${n.name}`),
    ...found.volumes.map((v) => `Volume/${v.name}`),
  ]);
  return new Set(
    desired
      .filter((o) => have.has(`${o.kind}/${externalName(o) ?? ''}`))
      .map((o) => `${o.kind}/${o.name}`),
  );
}

/** Observe, then plan: what `plan`, `apply` and `status` all start from. */
export async function observeAndPlan(
  engine: Engine,
  input: Omit<PlanInput, 'observed' | 'hostPaths' | 'unowned'>,
  options: ObserveProjectOptions = {},
): Promise<Observation & { plan: Plan }> {
  const observation = await observeProject(
    engine,
    input.project,
    input.desired,
    undefined,
    options,
  );
  return { ...observation, plan: await planProject(engine, { ...input, ...observation }) };
}

/**
 * The plan of an observation, as every planner makes it (plan, apply, status, the
 * controller's reconcile and resync): `plan(input)`, and — only when it holds an update — one
 * lookup of the updates' temporary names (`-next`/`-prev`). An update whose temporary name a
 * container other than the object's own leftover holds is blocked with the reason apply would
 * fail it with (F168), so plan and status report it before apply stops anything. A converged
 * project costs no call here.
 */
export async function planProject(engine: Engine, input: PlanInput): Promise<Plan> {
  const first = plan(input);
  const names = plannedTemporaryNames(first.objects, input.desired);
  if (names.size === 0) return first;
  const found = await engine.lookupNames({ containers: [...names.keys()] });
  const taken = new Map<string, string>();
  for (const c of found.containers) {
    if (names.has(c.name) && !isUpdateLeftover(c, input.project))
      taken.set(c.name, holderOf('Container', c.labels));
  }
  return taken.size === 0 ? first : plan({ ...input, updateNamesTaken: taken });
}
