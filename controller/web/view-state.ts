import {
  EVENTS_PER_OBJECT,
  type StreamMessage,
  type ViewRow,
  type ViewSnapshot,
} from './view-types.js';

/** An empty view: what the page shows before the first snapshot. */
export function emptySnapshot(project = ''): ViewSnapshot {
  return {
    project: {
      project,
      inSync: false,
      engineReachable: true,
      engine: null,
      notice: null,
      observedAt: null,
    },
    rows: [],
    plan: [],
    history: [],
    events: {},
    actions: [],
  };
}

/**
 * Applies one stream message to a view and returns the new view (the input is not changed).
 * The server keeps its snapshot with it and the page renders with it, so both always agree
 * on what a sequence of messages means. Rows stay sorted by kind, then name.
 */
export function applyMessage(view: ViewSnapshot, message: StreamMessage): ViewSnapshot {
  switch (message.type) {
    case 'snapshot':
      return message.snapshot;
    case 'project':
      return { ...view, project: message.project };
    case 'row':
      return { ...view, rows: upsertRow(view.rows, message.row) };
    case 'remove': {
      const { [message.key]: _gone, ...events } = view.events;
      return { ...view, rows: view.rows.filter((r) => r.key !== message.key), events };
    }
    case 'event': {
      const list = [...(view.events[message.key] ?? []), message.event].slice(-EVENTS_PER_OBJECT);
      return { ...view, events: { ...view.events, [message.key]: list } };
    }
    case 'plan':
      return { ...view, plan: message.steps };
    case 'history':
      return { ...view, history: message.history };
  }
}

function upsertRow(rows: ViewRow[], row: ViewRow): ViewRow[] {
  const at = rows.findIndex((r) => r.key === row.key);
  if (at >= 0) return rows.map((r, i) => (i === at ? row : r));
  return [...rows, row].sort(byKindThenName);
}

/** Kind, then name: the order of `berth get`. */
export function byKindThenName(a: ViewRow, b: ViewRow): number {
  return a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name);
}
