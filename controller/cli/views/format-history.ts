import { historyMessage } from '../../records/history-fold.js';
import type { HistoryEntry, HistoryImage } from '../../records/record-types.js';
import { iso } from '../../status/build-status.js';
import { formatDuration } from './format-status.js';
import { paint, renderTable, type Column } from './table.js';

/** The JSON/YAML shape of one history line (times as RFC 3339, unknowns null). */
export interface HistoryItem {
  id: string | null;
  time: string;
  sources: string[];
  commit: string | null;
  author: string | null;
  subject: string | null;
  outcome: string;
  counts: HistoryEntry['counts'];
  durationMs: number;
  message: string | null;
  /**
   * Each object the apply failed on, with the one-line reason apply gave (F561: only the last
   * apply's record had it, for status, until the next apply); empty when none failed.
   */
  failures: HistoryFailure[];
  /**
   * Applies after it that repeated it with nothing to do (a re-run, a watch start), counted
   * here rather than recorded each (F275); null when none.
   */
  repeated: { count: number; lastTime: string } | null;
  /** The resolved desired set the apply converged to; null beyond the rollback depth. */
  desired: HistoryObject[] | null;
  /** The images that set ran on (ids, digests); null when not recorded. */
  images: HistoryImage[] | null;
}

/** One failed object of an apply, as `history -o json` prints it. */
export interface HistoryFailure {
  key: string;
  action: string;
  code: string;
  /**
   * One line, as apply reported it: a quoted container output in it was cut and had its
   * Secret values masked where it was made (lifecycle/output-excerpt.ts).
   */
  reason: string;
}

/** One object of an apply's resolved desired set, as `history -o json` prints it. */
export interface HistoryObject {
  kind: string;
  name: string;
  labels: Record<string, string>;
  spec: unknown;
}

/**
 * The stable output shape of `berth history -o json|yaml` (DESIGN.md "Updates and rollback"):
 * an array, newest first, of id, time, source, the resolved desired set, image ids/digests and
 * outcome (plus counts, duration, commit details and message).
 */
export function historyOutput(entries: HistoryEntry[]): HistoryItem[] {
  return [...entries]
    .sort((a, b) => b.time - a.time)
    .map((e) => ({
      id: e.id ?? null,
      time: iso(e.time),
      sources: e.sources,
      commit: e.commit ?? null,
      author: e.author ?? null,
      subject: e.subject ?? null,
      outcome: e.outcome,
      counts: e.counts,
      durationMs: e.durationMs,
      message: e.message ?? null,
      failures: failuresOf(e),
      repeated: e.repeats ? { count: e.repeats.count, lastTime: iso(e.repeats.lastTime) } : null,
      desired: e.objects
        ? e.objects.map((o) => ({ kind: o.kind, name: o.name, labels: o.labels, spec: o.spec }))
        : null,
      images: e.images ?? null,
    }));
}

/** The failed steps history keeps (ran-summary.ts ranSteps), one line each. Pure. */
function failuresOf(entry: HistoryEntry): HistoryFailure[] {
  return (entry.steps ?? [])
    .filter((s) => s.failed)
    .map((s) => ({
      key: s.key,
      action: s.action,
      code: s.code ?? 'E_CONVERGE',
      reason: s.cause.replace(/\s+/g, ' ').trim(),
    }));
}

/**
 * `berth history`: newest first, ID TIME OUTCOME CHANGES DURATION COMMIT [AUTHOR SUBJECT]
 * SOURCE. AUTHOR (the name, as `git log --format=%an`; -o json has `Name <email>`) and SUBJECT
 * (DESIGN.md "Git source": commit, author, subject for every apply) appear when one came from git.
 * `width`: the terminal's columns (SUBJECT and SOURCE give up what does not fit); undefined
 * (output to a pipe or file): nothing is cut, as kubectl does.
 */
export function formatHistoryTable(
  entries: HistoryEntry[],
  options: { color: boolean; width?: number },
): string {
  if (entries.length === 0) return 'No applies recorded.\n';
  const subject: Column<HistoryEntry>[] = entries.some((e) => e.subject || e.author)
    ? [
        { header: 'AUTHOR', value: (e) => authorName(e.author), shrink: true },
        { header: 'SUBJECT', value: (e) => e.subject ?? '-', shrink: true },
      ]
    : [];
  const columns: Column<HistoryEntry>[] = [
    { header: 'ID', value: (e) => e.id ?? '-' },
    { header: 'TIME', value: (e) => iso(e.time) },
    {
      header: 'OUTCOME',
      value: (e) => e.outcome,
      paint: (t, e) => paint(t, e.outcome === 'converged' ? 'green' : 'red'),
    },
    { header: 'CHANGES', value: (e) => changes(e.counts) },
    { header: 'DURATION', value: (e) => formatDuration(e.durationMs) },
    { header: 'COMMIT', value: (e) => e.commit?.slice(0, 7) ?? '-' },
    ...subject,
    // What an entry that is not an apply of files did (`restart api`, a rollback), when any
    // says, and the applies that repeated it (`applied again 3× with no change, …`).
    ...(entries.some((e) => historyMessage(e))
      ? [{ header: 'MESSAGE', value: (e: HistoryEntry) => historyMessage(e) ?? '-', shrink: true }]
      : []),
    { header: 'SOURCE', value: (e) => e.sources.join(',') || '-', shrink: true },
  ];
  const sorted = [...entries].sort((a, b) => b.time - a.time);
  return renderTable(columns, sorted, {
    ...(options.width === undefined ? {} : { maxWidth: options.width }),
    color: options.color,
  });
}

/** `Ada Tester <ada@example.test>` → `Ada Tester`; `-` when unknown. */
function authorName(author: string | undefined): string {
  return author?.replace(/\s*<[^>]*>$/, '') || '-';
}

function changes(c: HistoryEntry['counts']): string {
  const failed = c.failed ? ` !${c.failed}` : '';
  return `+${c.created} ~${c.changed} -${c.deleted}${failed}`;
}
