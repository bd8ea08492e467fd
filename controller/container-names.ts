import { replicaName } from '../specs/expand.js';
import type { ContainerObject, ReplicaOf } from '../specs/model.js';
import { engineName, LABEL, NEXT_SUFFIX, PREV_SUFFIX } from './labels.js';

/**
 * Which declared container an engine container answers to (F26, issue 12 `replicas`).
 *
 * Replica 1 of a container is the container itself at any scale: `<project>-<name>` while
 * `replicas` is 1, `<project>-<name>-1` above, and scaling renames it in place (same id,
 * never stopped), as Compose keeps its first container. Labels can never change after create
 * (ENGINE-NOTES.md), so replica 1 carries what a single container carries — `berth.name` =
 * the declared name and no `berth.replica` — and its engine name tells which of the two it is
 * now. Replicas 2..N carry `berth.name=<name>-<i>` and `berth.replica=<i>`. Containers made by
 * berth before this (replica 1 labelled `berth.name=<name>-1`, `berth.replica=1`) keep
 * working: they too answer to either name.
 */

type Named = { name?: string; labels: Record<string, string> };

/** The `berth.name` label a declared container (or an instance of one) is created with. */
export function labelledName(container: Pick<ContainerObject, 'name' | 'replica'>): string {
  return container.replica?.index === 1 ? container.replica.of : container.name;
}

/** The `berth.replica` label a declared instance is created with: only replicas 2..N carry one. */
export function replicaLabels(container: Pick<ContainerObject, 'replica'>): Record<string, string> {
  const index = container.replica?.index;
  return index !== undefined && index > 1 ? { [LABEL.replica]: String(index) } : {};
}

/**
 * The declared name of the container the engine container is replica 1 of, when it is one:
 * a single container or replica 1 of this berth (no `berth.replica`), or replica 1 labelled
 * by an earlier berth (`<name>-1`, `berth.replica=1`). Undefined for replicas 2..N.
 */
export function firstReplicaOf(labels: Record<string, string>): string | undefined {
  const name = labels[LABEL.name];
  if (name === undefined) return undefined;
  const replica = labels[LABEL.replica];
  if (replica === undefined) return name;
  return replica === '1' && name.endsWith('-1') ? name.slice(0, -2) : undefined;
}

/**
 * The declared name an owned engine container answers to: its label, except for replica 1,
 * which is `<name>` or `<name>-1` as its engine name says (a `-next`/`-prev` suffix of an
 * update under way ignored). A replica 1 under any other engine name (renamed outside berth)
 * answers to its label; the name repairs give it that name back. Pure.
 */
export function ownedContainerName(c: Named, project: string): string | undefined {
  const label = c.labels[LABEL.name];
  const first = firstReplicaOf(c.labels);
  if (label === undefined || first === undefined || c.name === undefined) return label;
  const engine = withoutUpdateSuffix(c.name);
  return [first, replicaName(first, 1)].find((n) => engineName(project, n) === engine) ?? label;
}

/**
 * The replica an owned container is, by {@link ownedContainerName}: `{of, index}` for
 * `<name>-<i>`, undefined for a container that answers to a name of its own (replicas 1).
 */
export function ownedReplica(c: Named, project: string): ReplicaOf | undefined {
  const name = ownedContainerName(c, project);
  if (name === undefined) return undefined;
  const first = firstReplicaOf(c.labels);
  if (first !== undefined) return name === first ? undefined : { of: first, index: 1 };
  const index = Number(c.labels[LABEL.replica]);
  const suffix = `-${index}`;
  if (!Number.isInteger(index) || !name.endsWith(suffix)) return undefined;
  return { of: name.slice(0, -suffix.length), index };
}

function withoutUpdateSuffix(name: string): string {
  for (const suffix of [NEXT_SUFFIX, PREV_SUFFIX])
    if (name.endsWith(suffix)) return name.slice(0, -suffix.length);
  return name;
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
