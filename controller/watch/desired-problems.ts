import type { LoadResult } from '../../specs/index.js';
import type { DesiredObject } from '../../specs/model.js';
import { objectKey } from '../../specs/model.js';
import { sortProblems, type Problem } from '../../specs/problems.js';

/**
 * `result` with `problems` added to the files they are in: a file with one is broken (it
 * keeps its last good objects). A container using a network placed on another engine is a
 * problem of its file (E_PLACEMENT at the container), as is one using a field its engine
 * cannot carry, and a file emptied since it declared objects.
 */
export function withProblems(result: LoadResult, problems: readonly Problem[]): LoadResult {
  if (problems.length === 0) return result;
  return {
    ...result,
    files: result.files.map((f) => {
      const own = problems.filter((p) => p.file === f.file);
      return own.length ? { ...f, problems: sortProblems([...f.problems, ...own]) } : f;
    }),
    problems: sortProblems([...result.problems, ...problems]),
  };
}

/**
 * What berth added to a broken file (the project's default network, specs/expand.ts, sits in
 * the file of the first container that needs it) belongs to no one file: it stays in the set
 * while a container taken in uses it and the set has none of that name (F392: a broken file
 * holding it made every other file's containers fail the set check, and nothing was taken in).
 */
export function addedStillUsed(
  added: readonly DesiredObject[],
  objects: readonly DesiredObject[],
): DesiredObject[] {
  const present = new Set(objects.map(objectKey));
  const joined = new Set(
    objects.flatMap((o) => (o.kind === 'Container' ? o.spec.networks.map((n) => n.network) : [])),
  );
  return added.filter(
    (o) => o.kind === 'Network' && joined.has(o.name) && !present.has(objectKey(o)),
  );
}

/** Whether the problem is in one of `files`. */
export function inFiles(p: Problem, files: { file: string }[]): boolean {
  return files.some((f) => f.file === p.file);
}
