import type { ObservedContainer } from '../engine/engine.js';
import { ownedContainerName, sameOwnedContainer } from '../container-names.js';
import { engineName, LABEL, NEXT_SUFFIX, PREV_SUFFIX } from '../labels.js';

/** One engine call that finishes or undoes an update interrupted by a crash. */
export interface RecoveryStep {
  action: 'remove' | 'rename' | 'start';
  /** Engine id of the container acted on. */
  id: string;
  /** For `rename`: the new engine name. */
  to?: string;
  /** `Container/web`. */
  key: string;
  cause: string;
  /**
   * A name repair's rename (name-repairs.ts): when the engine name turns out to be taken by
   * an object berth does not own, it is skipped and the container stays out of sync.
   */
  optional?: boolean;
}

/**
 * True for a container that an update left under a temporary name (`<engine-name>-next` or
 * `-prev`): the owned index must not take it for the object itself.
 */
export function isUpdateLeftover(c: ObservedContainer, project: string): boolean {
  const name = ownedContainerName(c, project);
  if (c.labels[LABEL.project] !== project || !name) return false;
  const base = engineName(project, name);
  return c.name === `${base}${NEXT_SUFFIX}` || c.name === `${base}${PREV_SUFFIX}`;
}

/**
 * What to do with leftovers of updates that berth was killed in the middle of (DESIGN.md:
 * afterwards exactly one container answers to the name, no `-next`/`-prev` left). Pure.
 * - `-next` beside the named container: it has not replaced the old one yet (the old one is
 *   removed only after the gate passed): remove it; the next plan updates the old one again.
 *   But `-next` running beside a stopped old one: the cut-over had begun (the old one is
 *   stopped only after the gate passed): finish it — remove the old one, rename `-next` — so
 *   the service is not left down (F169: the good new one was removed, the old one left
 *   stopped). `-next` alone: the old one was removed after the gate passed: finish by
 *   renaming it.
 * - `-prev` beside the named container: the new one may not have passed its gate: undo
 *   (remove the new one, rename `-prev` back, start it); the next plan updates it again.
 *   `-prev` alone: rename it back and start it.
 */
export function recoverySteps(containers: ObservedContainer[], project: string): RecoveryStep[] {
  const steps: RecoveryStep[] = [];
  for (const c of containers.filter((x) => isUpdateLeftover(x, project))) {
    const name = ownedContainerName(c, project)!;
    const base = engineName(project, name);
    const key = `Container/${name}`;
    // Old and new may carry different labels (one made before F86): the declared name decides.
    const current = containers.find((x) => x.name === base && sameOwnedContainer(x, c, project));
    if (c.name.endsWith(NEXT_SUFFIX)) {
      if (current && cutOverBegun(current, c))
        steps.push(
          {
            action: 'remove',
            id: current.id,
            key,
            cause: 'unfinished start-first update: the new container passed its gate',
          },
          {
            action: 'rename',
            id: c.id,
            to: base,
            key,
            cause: 'unfinished start-first update: the new container passed its gate',
          },
        );
      else if (current)
        steps.push({
          action: 'remove',
          id: c.id,
          key,
          cause: 'unfinished start-first update: the new container has not replaced the old one',
        });
      else
        steps.push({
          action: 'rename',
          id: c.id,
          to: base,
          key,
          cause: 'unfinished start-first update: the new container passed its gate',
        });
      continue;
    }
    if (current)
      steps.push({
        action: 'remove',
        id: current.id,
        key,
        cause: 'unfinished stop-first update: undoing it',
      });
    steps.push(
      {
        action: 'rename',
        id: c.id,
        to: base,
        key,
        cause: 'unfinished stop-first update: the old container takes its name back',
      },
      {
        action: 'start',
        id: c.id,
        key,
        cause: 'unfinished stop-first update: the old container serves again',
      },
    );
  }
  return steps;
}

/** A start-first update's cut-over had begun: the new container runs, the old one is stopped. */
function cutOverBegun(old: ObservedContainer, next: ObservedContainer): boolean {
  const stopped = old.state === 'exited' || old.state === 'created' || old.state === 'dead';
  return stopped && next.state === 'running';
}
