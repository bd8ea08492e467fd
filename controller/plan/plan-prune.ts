import type { ObjectKey } from '../../specs/model.js';
import type { ObservedContainer } from '../engine/engine.js';
import { LABEL } from '../labels.js';
import { findImage } from './image-ref.js';
import { extraRemovals, networksNamed } from './plan-duplicates.js';
import type { PlanInput } from './plan-input.js';
import { objectPlan, step } from './plan-resources.js';
import type { ObjectPlan } from './plan-types.js';

const CAUSE = 'not declared any more';

/**
 * Owned objects of the project that nothing declares: containers first (stopped, then
 * removed), then networks, volumes whose data may go, and images berth built. Volumes
 * that retain their data and host paths are never deleted. With `only`, just the owned
 * objects it accepts (and no images): what berth removes without `--prune`.
 */
export function planPrune(
  input: PlanInput,
  owned: Map<ObjectKey, unknown>,
  only?: (key: ObjectKey, value: unknown) => boolean,
): ObjectPlan[] {
  const declared = new Set(input.desired.map((o) => `${o.kind}/${o.name}`));
  const undeclared = [...owned.entries()].filter(
    ([key, value]) => !declared.has(key) && (!only || only(key, value)),
  );
  const containers = undeclared
    .filter(([key, c]) => key.startsWith('Container/') && !runningOneOff(c as ObservedContainer))
    .map(([key, c]) => pruneContainer(key, c as ObservedContainer));
  const afterContainers = containers.map((c) => c.key);
  const others: ObjectPlan[] = [];
  for (const [key, value] of undeclared) {
    const name = key.slice(key.indexOf('/') + 1);
    const labels = (value as { labels: Record<string, string> }).labels;
    if (key.startsWith('Network/')) {
      const network = value as { id: string; name: string };
      const one = deletion(key, 'Network', name, network.id, afterContainers, network.name);
      others.push(withExtras(one, input));
    } else if (key.startsWith('Volume/') && labels[LABEL.retain] === 'false') {
      const volume = (value as { name: string }).name;
      others.push(deletion(key, 'Volume', name, volume, afterContainers, volume));
    } else if (key.startsWith('Volume/')) {
      others.push(retainedVolume(key, name, (value as { name: string }).name));
    }
  }
  if (!only) others.push(...pruneImages(input, declared, afterContainers));
  return [...containers.sort(byName), ...others.sort(byName)];
}

/**
 * What `--prune` would delete on top of `deletions` (a plan's deletions without it): owned
 * objects no longer declared that are left on the engine (F551; Compose's "Found orphan
 * containers"). A volume that keeps its data has no step and is no orphan.
 */
export function orphansLeft(
  input: PlanInput,
  owned: Map<ObjectKey, unknown>,
  deletions: readonly ObjectPlan[],
): ObjectPlan[] {
  const planned = new Set(deletions.map((d) => d.key));
  return planPrune(input, owned).filter((p) => p.steps.length > 0 && !planned.has(p.key));
}

/** A `berth run` container still running: never pruned (DESIGN.md "New verbs"). */
function runningOneOff(c: ObservedContainer): boolean {
  return c.labels[LABEL.oneoff] === 'true' && (c.state === 'running' || c.state === 'paused');
}

function pruneContainer(key: ObjectKey, c: ObservedContainer): ObjectPlan {
  const live = c.state === 'running' || c.state === 'paused' || c.state === 'restarting';
  const steps = [...(live ? [step(key, 'stop', '-', CAUSE)] : []), step(key, 'remove', '-', CAUSE)];
  const name = key.slice('Container/'.length);
  return objectPlan(
    { key, kind: 'Container', name, engineName: c.name, engineId: c.id },
    c.state,
    'absent',
    steps,
  );
}

/** A network that goes takes every duplicate of its name with it (issue 19 item 7). */
function withExtras(p: ObjectPlan, input: PlanInput): ObjectPlan {
  const { networks, containers } = input.observed;
  const extras = networksNamed(networks, containers, input.project, p.name).slice(1);
  return { ...p, steps: [...p.steps, ...extraRemovals(p.key, extras, CAUSE)] };
}

/** The reason `get`/`status` give for a volume berth keeps although nothing declares it. */
export const RETAINED_REASON = 'not declared any more; its data is kept (retain: true)';

/**
 * A volume that retains its data stays when its object goes, and stays visible: desired
 * `retained`, in sync, no step (`delete volume/NAME --purge` removes it on purpose).
 */
function retainedVolume(key: ObjectKey, name: string, volumeName: string): ObjectPlan {
  const p = objectPlan(
    { key, kind: 'Volume', name, engineName: volumeName, engineId: volumeName },
    'present',
    'retained',
    [],
  );
  return { ...p, reason: RETAINED_REASON };
}

function deletion(
  key: ObjectKey,
  kind: 'Network' | 'Volume' | 'Image',
  name: string,
  id: string,
  after: ObjectKey[],
  /** The engine name it has (an undeclared network or volume: only the engine knows it). */
  engineName?: string,
): ObjectPlan {
  const base = { key, kind, name, engineId: id, after, ...(engineName && { engineName }) };
  return objectPlan(base, 'present', 'absent', [step(key, 'remove', '-', CAUSE)]);
}

/** Images berth built for this project (they carry its labels) whose Image object is gone. */
function pruneImages(input: PlanInput, declared: Set<string>, after: ObjectKey[]): ObjectPlan[] {
  const refsInUse = new Set(input.desired.flatMap((o) => (o.kind === 'Image' ? [o.spec.ref] : [])));
  return input.observed.images
    .filter((img) => img.labels[LABEL.project] === input.project && img.labels[LABEL.name])
    .filter((img) => !declared.has(`Image/${img.labels[LABEL.name]}`))
    .filter((img) => ![...refsInUse].some((ref) => findImage([img], ref)))
    .map((img) =>
      deletion(
        `Image/${img.labels[LABEL.name]}`,
        'Image',
        img.labels[LABEL.name] as string,
        img.id,
        after,
      ),
    );
}

function byName(a: ObjectPlan, b: ObjectPlan): number {
  return a.key.localeCompare(b.key);
}
