import type { ObjectOutcome } from '../executor/execute.js';
import { deleteInterruptedText, type DeleteInterrupted } from './delete-interrupted.js';
import { visibleText } from '../../specs/visible-text.js';
import type { CliContext } from './context.js';
import { writeOutput } from './views/stable-output.js';

/** An object `delete`/`down` left in place on purpose, and why (the text's line after its key). */
export interface KeptObject {
  object: string;
  reason: string;
  /** The containers that still use it (a network or image in use), engine names. */
  usedBy?: string[];
}

/**
 * What one `delete` or `down` did: its `-o json|yaml` document (F632), and the source of its
 * text, so the two never tell different stories.
 */
export interface DeleteReport {
  project: string;
  /** Every removal succeeded or was kept on purpose (exit 0); else exit 2. */
  ok: boolean;
  durationMs: number;
  /** `down`: one-off containers of `berth run` removed first (stopped when they ran). */
  oneOffs: { name: string; stopped: boolean }[];
  /** Objects removed, in the order they went. */
  deleted: string[];
  /** Retained volumes removed with `--purge`/`--volumes`, and what became of their data. */
  purged: { object: string; note: string }[];
  kept: KeptObject[];
  /** Objects not removed: `failed` (the engine refused) or `skipped` (a dependant failed first). */
  failed: { object: string; outcome: ObjectOutcome['outcome']; message?: string; code?: string }[];
  outcomes: ObjectOutcome[];
}

/** Writes the report as text (as delete always printed it) or as the document of `-o`. */
export async function writeDeleteReport(
  ctx: CliContext,
  output: string | undefined,
  report: DeleteReport,
): Promise<void> {
  await writeOutput(ctx, output, report, () => deleteReportText(report));
}

/**
 * The text: failures, volumes purged, objects kept, then the project's line. One-offs are
 * said as they go (down.ts), not here.
 */
function deleteReportText(report: DeleteReport): string {
  const lines = [
    ...report.failed.map(
      (f) =>
        `${f.object}: ${f.outcome}${f.message ? `: ${visibleText(f.message, { keepNewlines: true })}` : ''}`,
    ),
    ...report.purged.map((p) => `${p.object}: ${p.note}`),
    ...report.kept.map((k) => `${k.object}: ${k.reason}`),
  ];
  const kept = report.kept.length ? `, ${report.kept.length} kept` : '';
  const failed = report.ok ? '' : ', some failed';
  lines.push(`Project ${report.project}: ${report.deleted.length} deleted${kept}${failed}`);
  return lines.map((l) => `${l}\n`).join('');
}

/**
 * A `delete`/`down` a signal cut short (F250): the text as before, or its document — what was
 * deleted, what was not, and the command that finishes the work.
 */
export async function writeDeleteInterrupted(
  ctx: CliContext,
  output: string | undefined,
  d: DeleteInterrupted,
  oneOffs: DeleteReport['oneOffs'],
): Promise<void> {
  const deleted = d.outcomes.filter((o) => o.outcome === 'converged').map((o) => o.key as string);
  const document = {
    project: d.project,
    ok: false,
    interrupted: d.signal ?? 'SIGINT',
    durationMs: Math.round(Number(d.seconds) * 1000),
    oneOffs,
    deleted,
    notDeleted: d.planned.filter((k) => !deleted.includes(k)),
    again: d.again,
    outcomes: d.outcomes,
  };
  await writeOutput(ctx, output, document, () => deleteInterruptedText(d));
}
