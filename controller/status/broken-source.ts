import type { ProjectStatus } from './status-types.js';

/** Problems named in full in the notice; the rest are counted. */
const SHOWN = 3;

/**
 * The status of a project whose source cannot be read as it is: a file of the watched folder
 * (or git checkout) is broken right now (F29). Whatever the engine shows, the project is not
 * in sync (`berth status` exits 3, as Argo CD reports a ComparisonError), since the set it is
 * compared against is not what the source says; the notice leads with each problem as
 * `file:line:col: message [CODE]`. `problems` are formatted already. Pure; without problems
 * the status is returned as it is.
 */
export function brokenSourceStatus(
  status: ProjectStatus,
  problems: readonly string[],
): ProjectStatus {
  if (problems.length === 0) return status;
  const more = problems.length > SHOWN ? `; and ${problems.length - SHOWN} more` : '';
  return notInSync(
    status,
    `the source cannot be read: ${problems.slice(0, SHOWN).join('; ')}${more}`,
  );
}

/**
 * The status of a project whose set reads with warnings (an env file's unset `${VAR}` left
 * blank, F188): they follow the notice as `warnings in the manifests: file:line:col: warning:
 * …` (F291: the controller's API never showed them). The sync verdict is unchanged: a warning
 * refuses nothing. `warnings` are formatted already. Pure; without warnings the status is
 * returned as it is.
 */
export function warnedSourceStatus(
  status: ProjectStatus,
  warnings: readonly string[],
): ProjectStatus {
  if (warnings.length === 0) return status;
  const more = warnings.length > SHOWN ? `; and ${warnings.length - SHOWN} more` : '';
  const said = `warnings in the manifests: ${warnings.slice(0, SHOWN).join('; ')}${more}`;
  return { ...status, notice: status.notice ? `${status.notice}; ${said}` : said };
}

/**
 * The status of a project whose git source has never given a revision: the URL is not a
 * repository, the remote was unreachable from the start, the ref or `--path` does not exist,
 * or the first commit was refused by `--verify-signatures`. Nothing has been compared with
 * what the repository declares, so the project is not in sync (`berth status` exits 3) and the
 * notice says why, from the SourceReady condition; an empty set is not "in sync: yes". A
 * source that has given a revision and fails later keeps its last good set (DESIGN.md "Git
 * source") and its status, with the condition showing the failure. Pure.
 */
export function unreadSourceStatus(status: ProjectStatus): ProjectStatus {
  const source = status.source;
  const ready = source?.conditions.find((c) => c.type === 'SourceReady');
  if (!source || source.revision !== null || ready?.status !== 'False') return status;
  return notInSync(status, `the git source has not been read: ${ready.message}`);
}

/** The status not in sync, its notice led by `lead` (the reason the source gives none). */
function notInSync(status: ProjectStatus, lead: string): ProjectStatus {
  const notice = status.notice ? `${lead}; ${status.notice}` : lead;
  return { ...status, inSync: false, notice };
}
