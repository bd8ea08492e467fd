import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import type { ViewAction, ViewEvent, ViewHistoryEntry, ViewRow, ViewStep } from '../view-types.js';
import { callAction } from './stream.js';

/** One object's panel: actions, difference, recent events, declared spec. */
export function Detail({
  row,
  events,
  actions,
}: {
  row: ViewRow;
  events: ViewEvent[];
  actions: ViewAction[];
}) {
  return html`<div class="detail" data-testid="detail">
    ${
      actions.length > 0 &&
      html`<div class="actions">
        ${actions.map((a) => html`<${ActionButton} action=${a} target=${row.key} />`)}
      </div>`
    }
    ${
      row.diff.length > 0 &&
      html`<h3>Difference</h3>
        <table class="diff">
          <thead>
            <tr>
              <th>field</th>
              <th>running</th>
              <th>declared</th>
            </tr>
          </thead>
          <tbody>
            ${row.diff.map(
              (d) =>
                html`<tr>
                  <td>${d.path}</td>
                  <td>${show(d.before)}</td>
                  <td>${show(d.after)}</td>
                </tr>`,
            )}
          </tbody>
        </table>`
    }
    <h3>Recent events</h3>
    ${
      events.length === 0
        ? html`<p class="muted">none since the page opened</p>`
        : html`<ul class="events">
            ${[...events]
              .reverse()
              .map(
                (e) =>
                  html`<li>
                    <time>${clock(e.time)}</time> <span class="src">${e.source}</span> ${e.text}
                  </li>`,
              )}
          </ul>`
    }
    <h3>Spec</h3>
    <pre class="spec">
${row.spec === null ? 'not declared' : JSON.stringify(row.spec, null, 2)}</pre>
  </div>`;
}

/** The live plan: each step with its state as a word, its cause, and a countdown when it has a deadline. */
export function PlanList({ steps }: { steps: ViewStep[] }) {
  return html`<section class="plan" data-testid="plan">
    <h2>Plan</h2>
    ${
      steps.length === 0
        ? html`<p class="muted">nothing to do</p>`
        : html`<ol>
            ${steps.map(
              (s) =>
                html`<li key=${s.id} class="step ${s.state}" data-step=${s.id}>
                  <span class="state">${s.state}</span>
                  <span class="what">${s.text} <b>${s.key}</b></span>
                  <span class="cause">${s.cause}</span>
                  ${s.message && html`<span class="message">${s.message}</span>`}
                  ${s.deadline !== undefined && s.state === 'running' && html`<${Countdown} deadline=${s.deadline} />`}
                </li>`,
            )}
          </ol>`
    }
  </section>`;
}

function Countdown({ deadline }: { deadline: number }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return html`<span class="countdown"
    >${Math.max(0, Math.ceil((deadline - now) / 1000))} s left</span
  >`;
}

/**
 * History, newest first, with the commit when the source is a git work tree; with the rollback
 * action offered, a button per apply that can be gone back to.
 */
export function HistoryList({
  history,
  rollback,
}: {
  history: ViewHistoryEntry[];
  rollback: ViewAction | undefined;
}) {
  return html`<section class="history" data-testid="history">
    <h2>History</h2>
    ${
      history.length === 0
        ? html`<p class="muted">no applies recorded</p>`
        : html`<ol>
            ${history.map(
              (h, i) =>
                html`<li data-apply=${h.id ?? ''}>
                  <time>${new Date(h.time).toLocaleString()}</time>
                  <span class="word ${h.outcome === 'converged' ? 'ok' : 'bad'}">${h.outcome}</span>
                  ${h.commit && html`<code class="commit">${h.commit.slice(0, 7)}</code>`}
                  ${h.subject && html`<span class="subject" title=${h.author ?? ''}>${h.subject}</span>`}
                  <span class="muted">${h.summary}</span>
                  ${h.message && html`<span class="message">${h.message}</span>`}
                  ${
                    rollback &&
                    h.restorable &&
                    i > 0 &&
                    html`<${ActionButton}
                      action=${{ ...rollback, label: 'Roll back to this' }}
                      target=${`Apply/${h.id}`}
                    />`
                  }
                </li>`,
            )}
          </ol>`
    }
  </section>`;
}

/** A button for one action; shows the server's answer next to it. */
export function ActionButton({ action, target }: { action: ViewAction; target?: string }) {
  const [answer, setAnswer] = useState('');
  const click = (e: Event) => {
    e.stopPropagation();
    setAnswer('…');
    callAction(action.id, target).then(setAnswer, (err: Error) => setAnswer(err.message));
  };
  return html`<span class="action">
    <button type="button" data-action=${action.id} onClick=${click}>${action.label}</button>
    ${answer && html`<span class="answer" role="status">${answer}</span>`}
  </span>`;
}

function show(value: unknown): string {
  if (value === undefined) return '—';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function clock(time: number): string {
  return new Date(time).toLocaleTimeString();
}
