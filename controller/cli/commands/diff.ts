import type { DesiredObject } from '../../../specs/model.js';
import { fieldChanges, formatFieldChange } from '../../plan/field-diff.js';
import { formatPlan, hasChanges } from '../../plan/plan-format.js';
import { readLastApplied } from '../../records/index.js';
import type { CliContext } from '../context.js';
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

/**
 * `berth diff -f PATH…`: the plan, and for every object it changes the fields that differ
 * from the last applied set, old → new (`env.MODE: "a" → "b"`; secrets `(changed)`).
 * Exit 0 no changes, 2 changes.
 */
export async function run(ctx: CliContext, options: DiffOptions): Promise<number> {
  const { set } = await loadInput(ctx, options.filename);
  const project = resolveProjectName(options.project, options.filename, ctx.cwd, ctx.env);
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
  const changed = new Set(
    plan.objects.filter((p) => p.steps.length > 0).map((p) => p.key as string),
  );
  const lines: string[] = [];
  for (const after of set.objects) {
    const key = `${after.kind}/${after.name}`;
    const old = before.get(key);
    if (!old || !changed.has(key)) continue;
    const fields = fieldChanges(comparable(old), comparable(after));
    if (fields.length === 0) continue;
    lines.push(
      `${key}:`,
      ...fields.map((f) => `  ${formatFieldChange(f, SECRET_KINDS.has(after.kind))}`),
    );
  }
  if (lines.length) ctx.stdout.write(`\nChanged fields (last apply → now):\n${lines.join('\n')}\n`);
  return hasChanges(plan) ? 2 : 0;
}

function comparable(o: DesiredObject): Record<string, unknown> {
  const { labels, spec } = o as unknown as { labels?: unknown; spec: unknown };
  return { ...(labels && Object.keys(labels as object).length ? { labels } : {}), spec };
}
