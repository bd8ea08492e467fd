import type { Engine, ObservedContainer } from '../engine/engine.js';
import type { EngineStreams } from '../engine/engine-streams.js';
import { engineAddress } from './engine-flags.js';
import { BerthError } from '../errors.js';
import { ownedContainerName, ownedReplica } from '../container-names.js';
import { LABEL, engineName } from '../labels.js';
import { readHistory, readLastApplied } from '../records/records.js';
import type { CliContext } from './context.js';
import { didYouMeanName, importedSpelling } from './name-spelling.js';

/**
 * Finding a project's containers by the names people declared (logs, exec, cp, attach):
 * one `observe` call, then matching on the `berth.name` label.
 */

/**
 * The streaming side of the engine the CLI talks to (same address as ctx.engine()), or of the
 * Docker context `context` (an object's `spec.placement.context`).
 */
export async function connectStreams(ctx: CliContext, context?: string): Promise<EngineStreams> {
  const { createDockerStreams } = await import('../engine/docker/docker-streams.js');
  const chosen =
    context === undefined ? { engine: ctx.engineFlag, context: ctx.contextFlag } : { context };
  return createDockerStreams(engineAddress(chosen, ctx.env));
}

/** The project's containers by declared name; of several with one name, the live one. */
export async function listByName(
  engine: Engine,
  project: string,
): Promise<Map<string, ObservedContainer>> {
  const observed = await engine.observe({ project });
  const byName = new Map<string, ObservedContainer>();
  for (const container of observed.containers) {
    const name = ownedContainerName(container, project);
    if (name === undefined || container.labels[LABEL.kind] !== 'Container') continue;
    const other = byName.get(name);
    if (!other || preferred(container, other)) byName.set(name, container);
  }
  return byName;
}

/**
 * The declared names `name` stands for: itself when a container has it, else the replicas
 * of a container declared with `replicas` above 1 (`name-1`, `name-2`, … by index).
 */
export function namesFor(byName: Map<string, ObservedContainer>, name: string): string[] {
  const spelled = namesSpelled(byName, name);
  if (spelled.length > 0) return spelled;
  // A Compose service name as the user knows it (`my_db`) for the name import gave it (F547).
  const imported = importedSpelling(name);
  return imported === undefined ? [] : namesSpelled(byName, imported);
}

/**
 * The declared names a project's containers answer to, replicated ones by their own name
 * too (`worker` beside `worker-1`, `worker-2`): what a did-you-mean chooses from.
 */
export function answeringNames(byName: Map<string, ObservedContainer>): Set<string> {
  const names = new Set(byName.keys());
  for (const container of byName.values()) {
    const replica = ownedReplica(container, container.labels[LABEL.project] ?? '');
    if (replica) names.add(replica.of);
  }
  return names;
}

function namesSpelled(byName: Map<string, ObservedContainer>, name: string): string[] {
  if (byName.has(name)) return [name];
  const replicas: { index: number; name: string }[] = [];
  for (const [declared, container] of byName) {
    const replica = ownedReplica(container, container.labels[LABEL.project] ?? '');
    if (replica?.of === name) replicas.push({ index: replica.index, name: declared });
  }
  return replicas.sort((a, b) => a.index - b.index).map((r) => r.name);
}

/** The container `name` stands for: itself, or the first of its replicas (exec, cp). */
export function firstContainer(
  byName: Map<string, ObservedContainer>,
  name: string,
): ObservedContainer | undefined {
  const first = namesFor(byName, name)[0];
  return first === undefined ? undefined : byName.get(first);
}

/** While a recreate runs, old and new may both exist: running beats stopped, then newer. */
function preferred(a: ObservedContainer, b: ObservedContainer): boolean {
  const live = (c: ObservedContainer) => c.state === 'running' || c.state === 'paused';
  if (live(a) !== live(b)) return live(a);
  return a.createdAt > b.createdAt;
}

/** True when every `key=value` of the selector is among the container's labels. */
export function matchesSelector(labels: Record<string, string>, selector: string[]): boolean {
  return selector.every((pair) => {
    const eq = pair.indexOf('=');
    if (eq < 0) return pair in labels;
    return labels[pair.slice(0, eq)] === pair.slice(eq + 1);
  });
}

/**
 * The error for a name with no container: "declared but gone" when the last applied set
 * of the project declares it, "unknown" otherwise. Both are E_UNKNOWN_OBJECT (exit 1).
 */
export async function missingContainer(
  ctx: CliContext,
  project: string,
  name: string,
  /** The project's containers by declared name, for a did-you-mean (F547). */
  byName?: Map<string, ObservedContainer>,
): Promise<BerthError> {
  const last = await readLastApplied(ctx.stateDir, project);
  const declared =
    last.ok && last.value.objects.some((o) => o.kind === 'Container' && o.name === name);
  const object = `Container/${name}`;
  if (declared) {
    return new BerthError(
      'E_UNKNOWN_OBJECT',
      `declared in project ${project}, but its container ${engineName(project, name)} no longer exists`,
      { object, hint: 'berth apply creates it again' },
    );
  }
  const hint = byName ? didYouMeanName(name, answeringNames(byName)) : '';
  return new BerthError('E_UNKNOWN_OBJECT', `no container ${name} in project ${project}${hint}`, {
    object,
    hint: 'berth get Container lists the containers of the project',
  });
}

/**
 * The error for a project berth knows nothing of: no container on the engine, no apply
 * recorded, no history (`berth logs -p typo` exited 0 with no output: F465). Undefined for a
 * project that has any of them (one whose containers are all gone prints nothing, exit 0).
 */
export async function unknownProject(
  ctx: CliContext,
  project: string,
  containers: number,
): Promise<BerthError | undefined> {
  if (containers > 0) return undefined;
  const [last, history] = await Promise.all([
    readLastApplied(ctx.stateDir, project),
    readHistory(ctx.stateDir, project),
  ]);
  const recorded = last.ok || last.problem.reason !== 'missing';
  if (recorded || !history.ok || history.value.length > 0) return undefined;
  return new BerthError(
    'E_UNKNOWN_OBJECT',
    `no apply recorded for project ${project}, and the engine has no container of it`,
    { hint: 'berth get --all-projects lists the projects on the engine' },
  );
}

/** The containers for these names (all when none is given), or the error for the first missing. */
export async function requireContainers(
  ctx: CliContext,
  engine: Engine,
  project: string,
  names: string[],
  selector: string[] = [],
): Promise<Map<string, ObservedContainer>> {
  const byName = await listByName(engine, project);
  const asked = new Set<string>();
  for (const name of names) {
    const found = namesFor(byName, name);
    if (found.length === 0) throw await missingContainer(ctx, project, name, byName);
    for (const n of found) asked.add(n);
  }
  const wanted = new Map<string, ObservedContainer>();
  for (const [name, container] of [...byName].sort(([a], [b]) => a.localeCompare(b))) {
    if (names.length && !asked.has(name)) continue;
    if (!matchesSelector(container.labels, selector)) continue;
    wanted.set(name, container);
  }
  return wanted;
}
