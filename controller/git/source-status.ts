import type { SourceStatus } from '../status/status-types.js';
import { redactUrl } from './git-cli.js';
import type { GitSource, SourceCondition } from './git-source.js';

/** How `berth watch --git` was told to read its repository. */
export interface GitSourceSettings {
  url: string;
  ref?: string | undefined;
  path?: string | undefined;
}

/**
 * The status model's view of a git source: the settings (URL redacted), the commit applied,
 * where the ref points, and the SourceReady condition with times as RFC 3339.
 */
export function gitSourceStatus(settings: GitSourceSettings, state: SourceCondition): SourceStatus {
  const reason =
    state.status === 'Unknown'
      ? 'Pending'
      : state.status === 'True'
        ? 'Checked'
        : state.lastError === state.reason
          ? 'CheckFailed'
          : 'Refused';
  return {
    kind: 'git',
    url: redactUrl(settings.url),
    ref: settings.ref ?? 'HEAD',
    path: settings.path ?? '.',
    revision: state.revision ?? null,
    head: state.head ?? null,
    conditions: [
      {
        type: 'SourceReady',
        status: state.status,
        reason,
        message:
          state.reason ??
          (state.status === 'True' ? 'the last check succeeded' : 'not checked yet'),
        lastSuccess:
          state.lastSuccess === undefined ? null : new Date(state.lastSuccess).toISOString(),
        lastError: state.lastError ?? null,
        consecutiveFailures: state.consecutiveFailures,
      },
    ],
  };
}

/**
 * Prometheus lines for a git source: seconds since the last good check (absent before the
 * first), consecutive failed checks, and ref checks and fetches made so far.
 */
export function gitSourceMetrics(source: GitSource): string {
  const since = source.secondsSinceLastGoodCheck();
  const lines = [
    '# HELP berth_source_seconds_since_last_good_check Seconds since the git source was last checked successfully.',
    '# TYPE berth_source_seconds_since_last_good_check gauge',
    ...(since === undefined
      ? []
      : [`berth_source_seconds_since_last_good_check ${since.toFixed(3)}`]),
    '# HELP berth_source_consecutive_failures Failed checks of the git source since the last good one.',
    '# TYPE berth_source_consecutive_failures gauge',
    `berth_source_consecutive_failures ${source.condition().consecutiveFailures}`,
    '# HELP berth_source_ref_checks_total Ref checks (ls-remote) of the git source.',
    '# TYPE berth_source_ref_checks_total counter',
    `berth_source_ref_checks_total ${source.counters.refChecks}`,
    '# HELP berth_source_fetches_total Fetches of the git source (only when the ref moved).',
    '# TYPE berth_source_fetches_total counter',
    `berth_source_fetches_total ${source.counters.fetches}`,
  ];
  return lines.join('\n') + '\n';
}
