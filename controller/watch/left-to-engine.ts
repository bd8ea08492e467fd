import type { DesiredObject, ObjectKey } from '../../specs/model.js';
import type { ContainerDetails, Engine } from '../engine/engine.js';
import { LABEL } from '../labels.js';
import type { WorkItem } from './work-queue.js';
import type { WorkReason } from './work-reason.js';

type Item = WorkItem<ObjectKey, WorkReason>;
type ExitReason = Extract<WorkReason, { kind: 'engine-event' }>;
type DesiredContainer = Extract<DesiredObject, { kind: 'Container' }>;

/**
 * The items of a batch that are only the exit of a container the engine is restarting itself
 * (its restart policy): inspected, it is being restarted ({@link restartedByEngine}), and was
 * created from the spec declared now (its spec-hash label). The full path would find the same
 * — no step for berth, the container left to the engine (reconciler.ts `leaveToEngine`) — after
 * observing the whole project (four list calls) and planning it; this costs one inspect per
 * exit (issue 11: under a restart storm berth itself uses < 2 % CPU). What else may have
 * changed meanwhile (an image re-tagged by hand) is the periodic resync's, as for any engine
 * event. An item that does not qualify, or whose inspect fails, takes the full path.
 */
export async function leftToEngine(
  engine: Engine,
  items: readonly Item[],
  desired: readonly DesiredObject[],
): Promise<Set<ObjectKey>> {
  const exits = items.filter(
    (i) => i.reason.kind === 'engine-event' && i.reason.change === 'exited' && i.reason.containerId,
  );
  if (exits.length === 0) return new Set();
  const declared = new Map<ObjectKey, DesiredContainer>(
    desired.flatMap((o) => (o.kind === 'Container' ? [[`Container/${o.name}`, o] as const] : [])),
  );
  const left = await Promise.all(
    exits.map(async (item) => {
      const reason = item.reason as ExitReason;
      const container = declared.get(item.key);
      if (!reason.containerId || container === undefined) return undefined;
      const details = await engine.inspectContainer(reason.containerId).catch(() => undefined);
      if (details?.labels[LABEL.specHash] !== container.specHash) return undefined;
      const running = container.spec.state === 'running';
      return restartedByEngine(details, reason.at, running) ? item.key : undefined;
    }),
  );
  return new Set(left.filter((k): k is ObjectKey => k !== undefined));
}

/**
 * The engine is restarting the container after the exit at `exitAt`: it says `restarting`
 * (Docker, during its back-off), or — for a container declared running — it already runs
 * again, in a run started after that exit, and its restart count (which Docker and Podman
 * both reset on every start through the API) says the engine started it, not a person or
 * berth. Podman restarts at once, with no back-off and never a `restarting` state, and its
 * `die` arrives about 0.1–0.3 s late (its events log is read in batches): by then the next
 * run is under way (F220, seen on 4.3.1). Docker comes here too when its back-off ends
 * before berth's inspect.
 */
function restartedByEngine(
  details: ContainerDetails,
  exitAt: number | undefined,
  declaredRunning: boolean,
): boolean {
  if (details.state === 'restarting') return true;
  if (!declaredRunning || details.state !== 'running' || exitAt === undefined) return false;
  return details.restartCount > 0 && (details.startedAt ?? 0) > exitAt;
}
