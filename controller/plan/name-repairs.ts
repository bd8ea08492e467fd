import type { ObservedContainer } from '../engine/engine.js';
import { ownedContainerName, sameOwnedContainer } from '../container-names.js';
import { engineName, LABEL } from '../labels.js';
import { isUpdateLeftover, type RecoveryStep } from './recovery-steps.js';

/**
 * Renames that give berth's containers back their own engine names. berth knows its objects
 * by their labels (DESIGN.md "Identity and ownership"), so the container that carries
 * `berth.name=a` is `Container/a` (with `berth.replica=2`: `Container/a-2`, container-names.ts)
 * whatever the engine calls it; one renamed outside berth is renamed back to `<project>-a`.
 * Two renamed onto each other's names (`docker rename a tmp; docker rename b a; docker rename
 * tmp b`) swap back through a temporary name. A misnamed copy of a container that also sits
 * under its own name is removed (both are berth's).
 *
 * Pure, in the order they must run. Only containers of `project` carrying its labels are
 * named; `containers` is the project's label-filtered observation, so a name held by an
 * object berth does not own is not seen here: that rename fails with a conflict when it
 * runs (`optional`), and nothing else is touched.
 */
export function nameRepairSteps(
  containers: readonly ObservedContainer[],
  project: string,
): RecoveryStep[] {
  // Replica 1 has two own names, `<name>` and `<name>-1` (container-names.ts); the plan
  // renames it between them when `replicas` changes (scale-renames.ts), never a repair.
  const ownName = (c: ObservedContainer) => engineName(project, declaredName(c, project));
  const keyOf = (c: ObservedContainer) => `Container/${declaredName(c, project)}`;
  const nameOf = new Map(containers.map((c) => [c.id, c.name]));
  const holderOf = new Map(containers.map((c) => [c.name, c]));
  const pending = containers
    .filter((c) => isRenamedOwned(c, project) && c.name !== ownName(c))
    .sort((a, b) => ownName(a).localeCompare(ownName(b)));
  const steps: RecoveryStep[] = [];
  const move = (c: ObservedContainer, to: string, cause: string) => {
    const from = nameOf.get(c.id) as string;
    steps.push({ action: 'rename', id: c.id, to, key: keyOf(c), cause, optional: true });
    holderOf.delete(from);
    holderOf.set(to, c);
    nameOf.set(c.id, to);
  };
  const renamedOutside = (c: ObservedContainer) =>
    `found under engine name ${nameOf.get(c.id)} (renamed outside berth)`;

  while (pending.length > 0) {
    const free = pending.findIndex((c) => !holderOf.has(ownName(c)));
    if (free >= 0) {
      const [c] = pending.splice(free, 1) as [ObservedContainer];
      move(c, ownName(c), renamedOutside(c));
      continue;
    }
    // Every wanted name is held: by a copy under its own name, or by another misnamed one.
    const c = pending.shift() as ObservedContainer;
    const holder = holderOf.get(ownName(c)) as ObservedContainer;
    if (pending.includes(holder)) {
      const aside = `${ownName(holder)}-${holder.id.slice(0, 12)}`;
      move(holder, aside, `${renamedOutside(holder)}; moved aside for ${keyOf(c)}`);
      pending.unshift(c);
    } else if (sameOwnedContainer(holder, c, project) && holder.id !== c.id) {
      steps.push({
        action: 'remove',
        id: c.id,
        key: keyOf(c),
        cause: `${renamedOutside(c)}: a copy of the container under ${ownName(c)}`,
      });
      holderOf.delete(nameOf.get(c.id) as string);
    }
  }
  return steps;
}

/** A container of `project` with its labels, neither an update's leftover nor a one-off's. */
function isRenamedOwned(c: ObservedContainer, project: string): boolean {
  return (
    c.labels[LABEL.project] === project &&
    typeof c.labels[LABEL.name] === 'string' &&
    (c.labels[LABEL.kind] ?? 'Container') === 'Container' &&
    !isUpdateLeftover(c, project)
  );
}

/** The declared name of a container `isRenamedOwned` kept (it carries `berth.name`). */
const declaredName = (c: ObservedContainer, project: string) =>
  ownedContainerName(c, project) as string;
