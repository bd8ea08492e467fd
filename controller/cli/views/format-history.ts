import type { HistoryEntry } from '../../records/record-types.js';
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
}

/** The stable output shape of `berth history -o json|yaml`. */
export function historyOutput(
  project: string,
  entries: HistoryEntry[],
): { project: string; items: HistoryItem[] } {
  return {
    project,
    items: entries.map((e) => ({
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
    })),
  };
}

/** `berth history`: newest first, TIME OUTCOME CHANGES DURATION COMMIT SOURCE, 80 columns. */
export function formatHistoryTable(entries: HistoryEntry[], options: { color: boolean }): string {
  if (entries.length === 0) return 'No applies recorded.\n';
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
    { header: 'SOURCE', value: (e) => e.sources.join(',') || '-', shrink: true },
  ];
  const sorted = [...entries].sort((a, b) => b.time - a.time);
  return renderTable(columns, sorted, { maxWidth: 80, color: options.color });
}

function changes(c: HistoryEntry['counts']): string {
  const failed = c.failed ? ` !${c.failed}` : '';
  return `+${c.created} ~${c.changed} -${c.deleted}${failed}`;
}
