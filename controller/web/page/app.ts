import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import type { ViewAction, ViewRow, ViewSnapshot } from '../view-types.js';
import { ActionButton, Detail, HistoryList, PlanList } from './parts.js';

/** The state filter's choices and which rows each keeps. */
const STATES: Record<string, (r: ViewRow) => boolean> = {
  all: () => true,
  'out of sync': (r) => r.sync !== 'Synced',
  'not ready': (r) => r.ready === 'no',
  synced: (r) => r.sync === 'Synced',
};

interface AppProps {
  view: ViewSnapshot;
  connected: boolean;
  everConnected: boolean;
}

/** The whole page: project line, connection banner, filters, objects, plan, history. */
export function App({ view, connected, everConnected }: AppProps) {
  const [kind, setKind] = useState('all');
  const [state, setState] = useState('all');
  const [open, setOpen] = useState<string | null>(null);
  const kinds = [...new Set(view.rows.map((r) => r.kind))].sort();
  const rows = view.rows.filter((r) => (kind === 'all' || r.kind === kind) && STATES[state]!(r));
  const projectActions = view.actions.filter((a) => a.scope === 'project');
  return html`
    <header class="top">
      <h1>berth <span class="project">${view.project.project || '…'}</span></h1>
      ${
        view.project.engine &&
        html`<span class="engine" data-testid="engine" title="the engine berth watch runs against"
          >on ${view.project.engine}</span
        >`
      }
      <${Summary} view=${view} />
      <span class="conn ${connected ? 'live' : 'down'}" data-testid="connection">
        ${connected ? 'live' : 'disconnected'}
      </span>
      ${projectActions.map((a) => html`<${ActionButton} action=${a} />`)}
    </header>
    ${
      !connected &&
      html`<div class="banner" role="alert" data-testid="banner">
        ${
          everConnected
            ? 'Disconnected from the controller — showing the last known state, reconnecting…'
            : 'Connecting to the controller…'
        }
      </div>`
    }
    ${view.project.notice && html`<div class="notice">${view.project.notice}</div>`}
    <section class="filters" aria-label="filters">
      <label
        >Kind
        <select data-testid="filter-kind" value=${kind} onChange=${(e: Event) => setKind(value(e))}>
          <option value="all">all</option>
          ${kinds.map((k) => html`<option value=${k}>${k}</option>`)}
        </select>
      </label>
      <label
        >State
        <select
          data-testid="filter-state"
          value=${state}
          onChange=${(e: Event) => setState(value(e))}
        >
          ${Object.keys(STATES).map((s) => html`<option value=${s}>${s}</option>`)}
        </select>
      </label>
      <span class="count" data-testid="count">${rows.length} of ${view.rows.length} objects</span>
    </section>
    <${ObjectTable}
      rows=${rows}
      view=${view}
      open=${open}
      toggle=${(key: string) => setOpen(open === key ? null : key)}
      actions=${view.actions.filter((a) => a.scope === 'object')}
    />
    <${PlanList} steps=${view.plan} />
    <${HistoryList}
      history=${view.history}
      rollback=${view.actions.find((a) => a.id === 'rollback')}
    />
  `;
}

function Summary({ view }: { view: ViewSnapshot }) {
  const out = view.rows.filter((r) => r.sync !== 'Synced' && r.sync !== 'Undeclared').length;
  const text = !view.project.engineReachable
    ? 'engine unreachable'
    : out === 0 && view.project.inSync
      ? 'in sync'
      : `out of sync (${out})`;
  const cls = text === 'in sync' ? 'ok' : 'bad';
  return html`<span class="summary ${cls}" data-testid="summary">${text}</span>`;
}

interface TableProps {
  rows: ViewRow[];
  view: ViewSnapshot;
  open: string | null;
  toggle: (key: string) => void;
  actions: ViewAction[];
}

const COLUMNS = ['kind', 'name', 'desired', 'actual', 'sync', 'ready', 'restarts', 'reason'];

/**
 * The objects. A set spanning engines (`spec.placement.context`) gets a context column, as
 * `berth get` and `status` do: `-` for the engine the watch runs against.
 */
function ObjectTable({ rows, view, open, toggle, actions }: TableProps) {
  const spans = view.rows.some((r) => r.context !== null);
  const columns = spans ? [...COLUMNS.slice(0, 2), 'context', ...COLUMNS.slice(2)] : COLUMNS;
  return html`<table class="objects" data-testid="objects">
    <thead>
      <tr>
        ${columns.map((c) => html`<th>${c}</th>`)}
      </tr>
    </thead>
    <tbody>
      ${rows.map(
        (r) => html`
          <tr
            key=${r.key}
            class="row ${rowClass(r)} ${open === r.key ? 'open' : ''}"
            data-key=${r.key}
            onClick=${() => toggle(r.key)}
          >
            <td data-label="kind">${r.kind}</td>
            <td data-label="name" class="name">${r.name}</td>
            ${spans && html`<td data-label="context" class="context">${r.context ?? '-'}</td>`}
            <td data-label="desired">${r.desired}</td>
            <td data-label="actual">${r.actual}</td>
            <td data-label="sync">
              <span class="word ${r.sync === 'Synced' ? 'ok' : 'bad'}">${r.sync}</span>
            </td>
            <td data-label="ready">${r.ready}</td>
            <td data-label="restarts">${r.restarts ?? '-'}</td>
            <td data-label="reason" class="reason">${r.reason ?? null}</td>
          </tr>
          ${
            open === r.key &&
            html`<tr class="detail-row" key=${`${r.key}#detail`}>
              <td colspan=${columns.length}>
                <${Detail}
                  row=${r}
                  events=${view.events[r.key] ?? []}
                  actions=${actions.filter((a) => !a.kinds || a.kinds.includes(r.kind))}
                />
              </td>
            </tr>`
          }
        `,
      )}
    </tbody>
  </table>`;
}

function rowClass(r: ViewRow): string {
  if (r.sync !== 'Synced') return 'row-bad';
  return r.ready === 'no' ? 'row-warn' : 'row-ok';
}

function value(e: Event): string {
  return (e.target as HTMLSelectElement).value;
}
