import type { DescribeOutput } from '../../status/describe-model.js';
import { toStableYaml } from './stable-yaml.js';
import type { ObjectStatus } from '../../status/status-types.js';
import { formatAge, renderTable } from './table.js';
import { visibleText } from '../../../specs/visible-text.js';
import { withOctalModes } from './octal-modes.js';

/**
 * `berth describe` as text, in kubectl describe's layout: identity, Spec (normalised, as
 * YAML), Status, a Conditions table and the recent Events.
 */
export function formatDescribe(out: DescribeOutput): string {
  const s = out.status;
  const sections = [
    fields([
      ['Name', s.name],
      ['Kind', s.kind],
      ['Project', s.project],
      ['Engine name', s.engineName ?? '-'],
      ['Id', s.id ?? '-'],
    ]),
    'Spec:\n' + indent(specText(out)),
    'Status:\n' + indent(fields(statusFields(s))),
    'Conditions:\n' + indent(conditionsTable(s)),
    'Events:\n' + indent(eventsTable(out)),
  ];
  return sections.join('');
}

function specText(out: DescribeOutput): string {
  if (!out.spec) return '<not declared: owned by the project, left from an earlier apply>\n';
  const { source, specHash, labels, spec } = out.spec;
  return (
    fields([
      ['Source', source],
      ['Spec hash', specHash],
    ]) + toStableYaml({ labels, spec: withOctalModes(spec) })
  );
}

function statusFields(s: ObjectStatus): [string, string][] {
  const sync = s.declared ? (s.inSync ? 'yes' : 'no') : 'not declared';
  const rows: [string, string][] = [
    ['Desired', s.desired],
    ['Observed', s.observed],
    ['In sync', s.reason ? `${sync} (${s.reason})` : sync],
  ];
  if (s.conflict) rows.push(['Conflict', s.conflict]);
  for (const step of s.pendingSteps) rows.push(['Next step', `${step.action} (${step.cause})`]);
  if (s.kind === 'Container') {
    rows.push(
      ['Health', s.health ?? '-'],
      ['Restarts', String(s.restarts ?? 0)],
      ['Last exit code', s.lastExitCode === null ? '-' : String(s.lastExitCode)],
      ...(s.oomKilled
        ? [['Last state', 'OOMKilled (over its memory limit)'] as [string, string]]
        : []),
      ['Ready', s.ready ? 'yes' : 'no'],
      ['Ports', s.ports.join(', ') || '-'],
      ['Networks', s.networks.join(', ') || '-'],
    );
  }
  if (s.image) rows.push(['Image', s.image]);
  if (s.imageId) rows.push(['Image id', s.imageId]);
  if (s.imageDigest) rows.push(['Image digest', s.imageDigest]);
  rows.push(['Created', s.createdAt ? `${s.createdAt} (${formatAge(s.ageSeconds)} ago)` : '-']);
  return rows;
}

function conditionsTable(s: ObjectStatus): string {
  return renderTable(
    [
      { header: 'TYPE', value: (c: ObjectStatus['conditions'][number]) => c.type },
      { header: 'STATUS', value: (c) => c.status },
      { header: 'REASON', value: (c) => c.reason },
      { header: 'LAST TRANSITION', value: (c) => c.lastTransitionTime ?? '-' },
      { header: 'MESSAGE', value: (c) => c.message },
    ],
    s.conditions,
  );
}

function eventsTable(out: DescribeOutput): string {
  if (out.events.length === 0) return '<none>\n';
  return renderTable(
    [
      { header: 'TIME', value: (e: DescribeOutput['events'][number]) => e.time },
      { header: 'FROM', value: (e) => e.source },
      { header: 'ACTION', value: (e) => e.action },
      { header: 'MESSAGE', value: (e) => e.message },
    ],
    out.events,
  );
}

function fields(rows: [string, string][]): string {
  const width = Math.max(...rows.map(([k]) => k.length)) + 2;
  return rows.map(([k, v]) => `${(k + ':').padEnd(width)}${visibleText(v)}\n`).join('');
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => (l ? '  ' + l : l))
    .join('\n');
}
