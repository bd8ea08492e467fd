import type { DesiredObject } from '../../../specs/model.js';
import { fieldChanges, formatFieldChange } from '../../plan/field-diff.js';
import type { FieldChange } from '../../plan/field-diff.js';
import { formatPlan, hasChanges } from '../../plan/plan-format.js';
import { readLastApplied } from '../../records/index.js';
import type { CliContext } from '../context.js';
import { refuseWhatTheEnginesCannotCarry } from '../engine-fields-check.js';
import { loadInput } from '../load-input.js';
import { planOf } from '../plan-of.js';
import { resolveProjectName } from '../project-name.js';

interface DiffOptions {
  filename: string[];
  prune?: boolean;
  project?: string;
}

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
  ctx.stdout.write(formatPlan(plan));
  const last = await readLastApplied(ctx.stateDir, project);
  const before = new Map(
    (last.ok ? last.value.objects : []).map((o) => [`${o.kind}/${o.name}`, o]),
  );
  // An update blocked by a conflict (F168) is still a change of its fields.
  const changed = new Set([
    ...plan.objects.filter((p) => p.steps.length > 0).map((p) => p.key as string),
    ...plan.conflicts.map((c) => c.key as string),
  ]);
  const lines: string[] = [];
  for (const after of set.objects) {
    const key = `${after.kind}/${after.name}`;
    const old = before.get(key);
    if (!old || !(changed.has(key) || mountedByChanged(after, set.objects, changed))) continue;
    const fields = fieldChanges(comparable(old), comparable(after));
    if (fields.length === 0) continue;
    lines.push(`${key}:`, ...fields.map((f) => `  ${fieldLine(f, after.kind)}`));
  }
  if (lines.length) ctx.stdout.write(`\nChanged fields (last apply → now):\n${lines.join('\n')}\n`);
  return hasChanges(plan) ? 2 : 0;
}

function comparable(o: DesiredObject): Record<string, unknown> {
  const { labels, spec } = o as unknown as { labels?: unknown; spec: unknown };
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
      changed.has(`Container/${o.name}`) &&
      o.spec.mounts.some((m) => m.type === type && m.name === object.name),
  );
}

/** One changed field; a Secret's or Config's value (its digest) is `value (changed)`. */
function fieldLine(change: FieldChange, kind: string): string {
  if (VALUE_KINDS.has(kind) && change.path === 'spec.digest') return 'value (changed)';
  return formatFieldChange(change, SECRET_KINDS.has(kind));
}
