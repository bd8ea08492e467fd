import { visibleText } from '../../../specs/visible-text.js';

/** A column of a text table. `shrink` columns give up width (with '…') to fit `maxWidth`. */
export interface Column<Row> {
  header: string;
  value: (row: Row) => string;
  shrink?: boolean;
  /** Applied after padding, so escape codes never disturb alignment. */
  paint?: (text: string, row: Row) => string;
}

export interface TableOptions {
  /** Total width to fit, e.g. 80; undefined: no limit (wide output). */
  maxWidth?: number;
  color?: boolean;
}

const GAP = '   ';
const MIN_SHRUNK = 8;

/**
 * Renders rows as kubectl does: upper-case headers, columns separated by three spaces, no
 * trailing blanks. When the table is wider than maxWidth the shrinkable columns are cut.
 */
export function renderTable<Row>(
  columns: Column<Row>[],
  rows: Row[],
  options: TableOptions = {},
): string {
  const cells = rows.map((row) => columns.map((c) => oneLine(c.value(row))));
  const widths = columns.map((c, i) =>
    Math.max(c.header.length, ...cells.map((r) => r[i]!.length)),
  );
  fitWidths(columns, widths, options.maxWidth);
  const line = (texts: string[], row?: Row) =>
    texts
      .map((text, i) => {
        const width = widths[i]!;
        const cut = text.length > width ? text.slice(0, width - 1) + '…' : text;
        const padded = i === texts.length - 1 ? cut : cut.padEnd(width);
        const paint = columns[i]!.paint;
        return options.color && paint && row !== undefined ? paint(padded, row) : padded;
      })
      .join(GAP)
      .trimEnd();
  const out = [line(columns.map((c) => c.header))];
  rows.forEach((row, r) => out.push(line(cells[r]!, row)));
  return out.join('\n') + '\n';
}

function fitWidths<Row>(
  columns: Column<Row>[],
  widths: number[],
  maxWidth: number | undefined,
): void {
  if (maxWidth === undefined) return;
  let excess = widths.reduce((a, b) => a + b, 0) + GAP.length * (widths.length - 1) - maxWidth;
  // Take width from the widest shrinkable column first, one character at a time.
  while (excess > 0) {
    let widest = -1;
    columns.forEach((c, i) => {
      if (
        c.shrink &&
        widths[i]! > Math.max(MIN_SHRUNK, c.header.length) &&
        (widest < 0 || widths[i]! > widths[widest]!)
      )
        widest = i;
    });
    if (widest < 0) return;
    widths[widest]!--;
    excess--;
  }
}

/** One line, with the engine's or a container's control characters shown, not sent (F277). */
function oneLine(text: string): string {
  return visibleText(text.replace(/\s*\n\s*/g, ' '));
}

const CODES = { red: 31, green: 32, yellow: 33, dim: 2 } as const;

/** ANSI colour for terminals; callers decide whether colour is wanted. */
export function paint(text: string, colour: keyof typeof CODES): string {
  return `\u001b[${CODES[colour]}m${text}\u001b[0m`;
}

/** kubectl-like age: 45s, 12m, 5h, 3d, 2y; '-' when unknown. */
export function formatAge(seconds: number | null): string {
  if (seconds === null) return '-';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 120) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h`;
  const days = Math.floor(hours / 24);
  return days < 730 ? `${days}d` : `${Math.floor(days / 365)}y`;
}
