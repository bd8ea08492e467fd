/** Per-project records of applies (DESIGN.md "project records"). */
export * from './record-types.js';
export {
  HISTORY_LIMIT,
  applyId,
  forgetObjects,
  listRecordedProjects,
  projectRecordDir,
  readHistory,
  readLastApplied,
  recordApply,
} from './records.js';
export { gitCommitOf } from './git-commit.js';
