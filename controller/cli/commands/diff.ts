import { objectKey, type DesiredObject } from '../../../specs/model.js';
import { fieldChanges, formatFieldChange } from '../../plan/field-diff.js';
import type { FieldChange } from '../../plan/field-diff.js';
import { formatPlan, hasChanges, planJson } from '../../plan/plan-format.js';
import { readLastApplied } from '../../records/index.js';
import type { CliContext } from '../context.js';
import { refuseWhatTheEnginesCannotCarry } from '../engine-fields-check.js';
import { loadInput } from '../load-input.js';
import { planOf } from '../plan-of.js';
import { resolveProjectName } from '../project-name.js';
import { withOctalModes } from '../views/octal-modes.js';
import { writeOutput } from '../views/stable-output.js';

interface DiffOptions {
  filename: string[];
  prune?: boolean;
  project?: string;
  output?: 'text' | 'json' | 'yaml';
}

/**
 * One changed field in `diff -o json|yaml`: `before`/`after` as the text prints them (absent
 * on the side where the field is not set, the text's `(none)`); a secret's field, or a
 * Secret's or Config's value, only `changed: true`, as the text's `(changed)`.
 */
type FieldDocument =
  { path: string; before?: unknown; after?: unknown } | { path: string; changed: true };

/** Kinds whose values never print (DESIGN.md: a secret's value never appears in output). */
const SECRET_KINDS = new Set(['Secret']);
/** Kinds whose value reaches containers as a mount: changed, they recreate those containers. */
const VALUE_KINDS = new Set(['Secret', 'Config']);

/**
 * `berth diff -f PATH…`: the plan, and for every object it changes the fields that differ
 * from the last applied set, old → new (`env.MODE: "a" → "b"`; secrets `(changed)`).
 * Exit 0 no changes, 2 changes.
 */
export async function run(ctx: CliContext, options: DiffOptions): Promise<number> {
  const { set } = await loadInput(ctx, options.filename);
  const project = resolveProjectName(options.project, options.filename, ctx.cwd, ctx.env);
  // As plan: a field an engine cannot carry is refused, never shown as a change it would make.
  await refuseWhatTheEnginesCannotCarry(ctx, set.objects);
  const { plan } = await planOf(ctx, {
    project,
    desired: set.objects,
    prune: Boolean(options.prune),
  });
  const last = await readLastApplied(ctx.stateDir, project);
  const lastObjects = last.ok ? last.value.objects : [];
  const before = declaredObjects(lastObjects);
  // A replica's step is a change of the container it runs: scaling creates or removes
  // instances and changes none of the others (F546).
  const declaredOf = new Map(
    [...lastObjects, ...set.objects].map((o) => [objectKey(o) as string, declaredKey(o)]),
  );
  // An update blocked by a conflict (F168) is still a change of its fields.
  const changed = new Set(
    [
      ...plan.objects.filter((p) => p.steps.length > 0).map((p) => p.key as string),
      ...plan.conflicts.map((c) => c.key as string),
    ].map((key) => declaredOf.get(key) ?? key),
  );
  const objects: { object: string; kind: string; fields: FieldChange[] }[] = [];
  for (const [key, after] of declaredObjects(set.objects)) {
    const old = before.get(key);
    if (!old || !(changed.has(key) || mountedByChanged(after, set.objects, changed))) continue;
    const fields = fieldChanges(comparable(old), comparable(after));
    if (fields.length > 0) objects.push({ object: key, kind: after.kind, fields });
  }
  // -o json|yaml: plan's document, and per object the fields the text lists (F632).
  const document = {
    ...(planJson(plan) as object),
    changes: hasChanges(plan),
    changedFields: objects.map((o) => ({
      object: o.object,
      fields: o.fields.map((f) => fieldDocument(f, o.kind)),
    })),
  };
  await writeOutput(ctx, options.output, document, () => {
    const lines = objects.flatMap((o) => [
      `${o.object}:`,
      ...o.fields.map((f) => `  ${fieldLine(f, o.kind)}`),
    ]);
    const fields = lines.length
      ? `\nChanged fields (last apply → now):\n${lines.join('\n')}\n`
      : '';
    return formatPlan(plan) + fields;
  });
  return hasChanges(plan) ? 2 : 0;
}

/** `Kind/name` as declared: a replica (`worker-2`) is the container it runs (`worker`). */
function declaredKey(o: DesiredObject): string {
  return o.kind === 'Container' && o.replica ? `Container/${o.replica.of}` : objectKey(o);
}

/** The set as declared, by {@link declaredKey}: a replicated container once (its instances share its spec). */
function declaredObjects(objects: readonly DesiredObject[]): Map<string, DesiredObject> {
  const declared = new Map<string, DesiredObject>();
  for (const o of objects) if (!declared.has(declaredKey(o))) declared.set(declaredKey(o), o);
  return declared;
}

/**
 * What the diff compares: labels and the spec as written — a container's `replicas` (1 when
 * not declared, as the engine runs it) and file modes in octal, as describe shows them.
 */
function comparable(o: DesiredObject): Record<string, unknown> {
  const { labels } = o as unknown as { labels?: unknown };
  const spec =
    o.kind === 'Container'
      ? { ...(withOctalModes(o.spec) as object), replicas: o.spec.replicas ?? 1 }
      : o.spec;
  return { ...(labels && Object.keys(labels as object).length ? { labels } : {}), spec };
}

/**
 * A Secret or Config is no engine object: a changed value shows in the plan only as the
 * containers that mount it being recreated, so it is listed when one of them changes (F85).
 */
function mountedByChanged(
  object: DesiredObject,
  objects: readonly DesiredObject[],
  changed: ReadonlySet<string>,
): boolean {
  if (!VALUE_KINDS.has(object.kind)) return false;
  const type = object.kind === 'Secret' ? 'secret' : 'config';
  return objects.some(
    (o) =>
      o.kind === 'Container' &&
      changed.has(declaredKey(o)) &&
      o.spec.mounts.some((m) => m.type === type && m.name === object.name),
  );
}

/** One changed field; a Secret's or Config's value (its digest) is `value (changed)`. */
function fieldLine(change: FieldChange, kind: string): string {
  if (VALUE_KINDS.has(kind) && change.path === 'spec.digest') return 'value (changed)';
  return formatFieldChange(change, SECRET_KINDS.has(kind));
}

/** {@link fieldLine} as data: what it shows, and nothing it hides. */
function fieldDocument(change: FieldChange, kind: string): FieldDocument {
  if (VALUE_KINDS.has(kind) && change.path === 'spec.digest')
    return { path: 'value', changed: true };
  if (SECRET_KINDS.has(kind)) return { path: change.path, changed: true };
  return {
    path: change.path,
    ...(change.before !== undefined ? { before: change.before } : {}),
    ...(change.after !== undefined ? { after: change.after } : {}),
  };
}
