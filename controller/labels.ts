import { dirname, isAbsolute } from 'node:path';
import type { DesiredObject, NetworkObject, VolumeObject } from '../specs/model.js';
import type { ResourceNames } from './engine/engine.js';

/** The labels berth puts on every engine object it creates (DESIGN.md, "Identity and ownership"). */
export const LABEL = {
  project: 'berth.project',
  kind: 'berth.kind',
  name: 'berth.name',
  specHash: 'berth.spec-hash',
  /** On built images: hash of the build context, Dockerfile and args. */
  buildHash: 'berth.build-hash',
  /** On containers: a short hash per spec field, so a recreate can name what changed. */
  specFields: 'berth.spec-fields',
  /**
   * On each instance of a container declared with `replicas` above 1: its index, 1..N (their
   * `berth.name` is the declared name). Scaled in place between 1 and N, replica 1 keeps the
   * labels it was created with (container-names.ts).
   */
  replica: 'berth.replica',
  /** On volumes: 'false' when deleting the object may delete the data. */
  retain: 'berth.retain',
  /**
   * The absolute folder of the manifest an object was applied from (issue 19 item 10: two
   * folders with one base name share a project). Not part of the spec hash: applying the
   * same manifest from another folder recreates nothing.
   */
  source: 'berth.source',
  /** On one-off containers of `berth run`: 'true'; apply's prune leaves them alone while they run. */
  oneoff: 'berth.oneoff',
  /** On one-off containers: the declared container they were made from. */
  runOf: 'berth.run-of',
  /**
   * On containers: the id of the apply that created them (`berth history`; DESIGN.md "Updates
   * and rollback"). Not part of the spec hash: a later apply that changes nothing keeps them.
   */
  apply: 'berth.apply',
  /**
   * On containers created while the source was a git commit (`watch --git`, or a folder in a
   * git work tree): that commit's sha (issue 15). Not part of the spec hash.
   */
  commit: 'berth.commit',
} as const;

/**
 * The labels an apply stamps on the containers it creates: its id and, when the source is a
 * git commit, the commit's sha. Added at create time only, never hashed or compared, so a new
 * id or commit alone recreates nothing.
 */
export function applyStamp(applyId: string, commit?: string): Record<string, string> {
  return { [LABEL.apply]: applyId, ...(commit ? { [LABEL.commit]: commit } : {}) };
}

/**
 * The engine name of a declared network or volume — the one place that decides it (F134):
 * an external one's own name (used, never managed), an owned one's `spec.name` (created,
 * labelled and owned by berth under exactly that name), else `<project>-<name>`.
 */
export function resourceEngineName(
  project: string,
  object: Pick<NetworkObject | VolumeObject, 'name' | 'spec'>,
): string {
  return object.spec.external?.name ?? object.spec.name ?? engineName(project, object.name);
}

/**
 * The owned networks and volumes of `desired` by {@link resourceEngineName}, for matching
 * their engine events, which carry no labels (F172). External ones are left out: berth never
 * repairs them, and their traffic (other projects' containers joining and leaving) is not
 * the project's. Pure.
 */
export function declaredResourceNames(
  project: string,
  desired: readonly DesiredObject[],
): ResourceNames {
  const network = new Map<string, string>();
  const volume = new Map<string, string>();
  for (const o of desired) {
    if ((o.kind !== 'Network' && o.kind !== 'Volume') || o.spec.external) continue;
    (o.kind === 'Network' ? network : volume).set(resourceEngineName(project, o), o.name);
  }
  return { network, volume };
}

/**
 * {@link resourceEngineName} of the network or volume `name` declared in `desired`; falls back
 * to `<project>-<name>` when it is not declared.
 */
export function declaredEngineName(
  project: string,
  desired: readonly DesiredObject[],
  kind: 'Network' | 'Volume',
  name: string,
): string {
  const object = desired.find((o) => o.kind === kind && o.name === name);
  return object?.kind === kind ? resourceEngineName(project, object) : engineName(project, name);
}

/**
 * The engine name of any declared object berth names on the engine: a network or volume by
 * {@link resourceEngineName}, a container (or replica) `<project>-<name>`.
 */
export function desiredEngineName(project: string, object: DesiredObject): string {
  return object.kind === 'Network' || object.kind === 'Volume'
    ? resourceEngineName(project, object)
    : engineName(project, object.name);
}

// The engine names a container has while an update replaces it (`<name>-next`, `<name>-prev`).
export { NEXT_SUFFIX, PREV_SUFFIX } from '../specs/update-names.js';

/**
 * Who holds an engine object, read from its labels, for a message about a taken engine name:
 * `a container berth does not own`, or, for one another project of berth made,
 * `Container/web-db of project shop` (F155: that was called foreign). Pure.
 */
export function holderOf(kind: string, labels: Record<string, string>): string {
  const project = labels[LABEL.project];
  const name = labels[LABEL.name];
  if (!project || !name) return `a ${kind.toLowerCase()} berth does not own`;
  const labelled = labels[LABEL.kind] ?? kind;
  // A container run by hand (or by Compose) from an image berth built inherits the image's
  // labels, `berth.kind=Image` among them (F264): it is no object of berth's.
  if (labelled !== kind)
    return `a ${kind.toLowerCase()} berth does not own (it carries the labels of ${labelled}/${name} of project ${project}, from its image)`;
  return `${labelled}/${name} of project ${project}`;
}

/**
 * `<project>-<name>`: the engine name of a container, and of a network or volume without a
 * name of its own (use {@link resourceEngineName} for those).
 */
export function engineName(project: string, name: string): string {
  return `${project}-${name}`;
}

export function ownershipLabels(
  project: string,
  kind: string,
  name: string,
  specHash: string,
): Record<string, string> {
  return {
    [LABEL.project]: project,
    [LABEL.kind]: kind,
    [LABEL.name]: name,
    [LABEL.specHash]: specHash,
  };
}

/**
 * `berth.source`: the absolute folder an object was read from, however `-f` named it;
 * none for stdin (no folder to name).
 */
export function sourceLabel(object: {
  folder?: string;
  source: { file: string };
}): Record<string, string> {
  const folder =
    object.folder ?? (isAbsolute(object.source.file) ? dirname(object.source.file) : undefined);
  return folder ? { [LABEL.source]: folder } : {};
}
