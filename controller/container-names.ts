import { replicaName } from '../specs/expand.js';
import type { ContainerObject, ReplicaOf } from '../specs/model.js';
import { engineName, LABEL, NEXT_SUFFIX, PREV_SUFFIX } from './labels.js';

/**
 * Which declared container an engine container answers to, and the labels berth gives it
 * (DESIGN.md "Identity and ownership on the engine" and `replicas`; F26, F86).
 *
 * Labels: every container carries `berth.name` = the `metadata.name` it was declared with;
 * each instance of a container declared with `replicas` above 1 also carries
 * `berth.replica=<i>` (1..N) and has the engine name `<project>-<name>-<i>`. So
 * `docker ps --filter label=berth.project=P --filter label=berth.name=web` lists every replica
 * of `web`, as Compose's service label does; a single container carries no `berth.replica`.
 *
 * Scaling keeps the running replicas (F26, plan/scale-renames.ts): replica 1 is the container
 * itself at any scale, renamed in place between `<project>-<name>` and `<project>-<name>-1`
 * (same id, never stopped). Labels can never change after create (ENGINE-NOTES.md), so a
 * container scaled 1 → N lacks `berth.replica` until it is next recreated, and one scaled
 * N → 1 keeps `berth.replica=1`; its engine name tells which it is now. Select replicas by
 * `berth.name`, never by the presence of `berth.replica`.
 *
 * Labels of earlier berths still read, so nothing is recreated on upgrade: replicas 2..N made
 * between F26 and F86 carry `berth.name=<name>-<i>` and `berth.replica=<i>`, replica 1 made
 * before F26 `berth.name=<name>-1` and `berth.replica=1`. Where labels alone are ambiguous
 * (`berth.name=web-2`, `berth.replica=2` is replica 2 of `web-2` now, replica 2 of `web`
 * then) the engine name decides: `<project>-web-2-2` is the former. A container under none of
 * its own names (renamed outside berth) reads as the earlier labels when its `berth.name`
 * ends in `-<i>`, else as these; the name repairs give it that name back.
 */

type Named = { name?: string; labels: Record<string, string> };

/** The declared name a container answers to, and the replica it is (undefined for none). */
interface Identity {
  name: string;
  replica?: ReplicaOf;
}

/** The `berth.name` label a declared container (or an instance of one) is created with. */
export function labelledName(container: Pick<ContainerObject, 'name' | 'replica'>): string {
  return container.replica?.of ?? container.name;
}

/** The `berth.replica` label a declared instance is created with (replicas 1..N), else none. */
export function replicaLabels(container: Pick<ContainerObject, 'replica'>): Record<string, string> {
  const index = container.replica?.index;
  return index === undefined ? {} : { [LABEL.replica]: String(index) };
}

/**
 * The declared name an owned engine container answers to: `<name>` for a single container,
 * `<name>-<i>` for replica i, by its labels and engine name (a `-next`/`-prev` suffix of an
 * update under way ignored). Undefined without a `berth.name` label. Pure.
 */
export function ownedContainerName(c: Named, project: string): string | undefined {
  return identify(c, project)?.name;
}

/**
 * The replica an owned container is, by {@link ownedContainerName}: `{of, index}` for
 * replica i of `of`, undefined for a container that answers to a name of its own. Pure.
 */
export function ownedReplica(c: Named, project: string): ReplicaOf | undefined {
  return identify(c, project)?.replica;
}

/**
 * True when both carry `project`'s labels and answer to one declared name (an engine
 * container and a create request alike: `name` is the engine name). Pure.
 */
export function sameOwnedContainer(a: Named, b: Named, project: string): boolean {
  const name = ownedContainerName(a, project);
  return (
    a.labels[LABEL.project] === project &&
    b.labels[LABEL.project] === project &&
    name !== undefined &&
    name === ownedContainerName(b, project)
  );
}

/**
 * `Kind/name` of an owned engine object of the project (a container by
 * {@link ownedContainerName}, any other kind by its label); undefined when it is not owned.
 */
export function ownedKey(o: Named, project: string): `${string}/${string}` | undefined {
  const kind = o.labels[LABEL.kind] ?? 'Container';
  if (o.labels[LABEL.project] !== project) return undefined;
  const name = kind === 'Container' ? ownedContainerName(o, project) : o.labels[LABEL.name];
  return name === undefined ? undefined : `${kind}/${name}`;
}

function identify(c: Named, project: string): Identity | undefined {
  const label = c.labels[LABEL.name];
  if (label === undefined) return undefined;
  const engine = c.name === undefined ? undefined : withoutUpdateSuffix(c.name);
  const named = (name: string) => engine === engineName(project, name);
  const asReplica = (of: string, index: number): Identity => ({
    name: replicaName(of, index),
    replica: { of, index },
  });
  const index = replicaIndex(c.labels[LABEL.replica]);
  // A single container, or replica 1 scaled up from one.
  if (index === undefined)
    return named(replicaName(label, 1)) ? asReplica(label, 1) : { name: label };
  if (named(replicaName(label, index))) return asReplica(label, index);
  const suffix = `-${index}`;
  if (!label.endsWith(suffix) || label.length === suffix.length)
    // Replica 1 scaled down to a single container, or renamed outside berth.
    return index === 1 && named(label) ? { name: label } : asReplica(label, index);
  // The earlier labels: `berth.name` is the replica's own name.
  const of = label.slice(0, -suffix.length);
  return index === 1 && named(of) ? { name: of } : asReplica(of, index);
}

/** The index a `berth.replica` label carries: a whole number from 1, else undefined. */
function replicaIndex(value: string | undefined): number | undefined {
  return value !== undefined && /^[1-9][0-9]*$/.test(value) ? Number(value) : undefined;
}

function withoutUpdateSuffix(name: string): string {
  for (const suffix of [NEXT_SUFFIX, PREV_SUFFIX])
    if (name.endsWith(suffix)) return name.slice(0, -suffix.length);
  return name;
}
