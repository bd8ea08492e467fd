import { isAbsolute, relative, sep } from 'node:path';
import { listRecordedProjects, readLastApplied } from '../records/index.js';

/** A project whose last apply read a folder at or below some folder. */
export interface AppliedUnder {
  project: string;
  /** The source as recorded (absolute). */
  source: string;
}

/**
 * Other projects (not `project`) whose last apply read a source at or below `folder`: what
 * `berth down` names when the folder's own project has nothing recorded (F84: imported with
 * `-p`, applied with `-f berth`, then `down` from the Compose folder). Reads only the
 * records, never the engine; unreadable records are skipped.
 */
export async function projectsAppliedUnder(
  stateDir: string,
  folder: string,
  project: string,
): Promise<AppliedUnder[]> {
  const found: AppliedUnder[] = [];
  for (const other of await listRecordedProjects(stateDir)) {
    if (other === project) continue;
    const last = await readLastApplied(stateDir, other);
    // A project taken down (its last set is empty) has nothing to delete (F857).
    if (!last.ok || last.value.objects.length === 0) continue;
    const source = last.value.sources.find((s) => isAtOrBelow(s, folder));
    if (source !== undefined) found.push({ project: other, source });
  }
  return found;
}

/**
 * Whether a recorded source is a local path at or below `folder`. Only absolute paths count:
 * a git or other URL source (`file:///repo//deploy`, `https://…`) is no folder of this host,
 * and `relative()` would call it "below" every folder (F121: `down` named an unrelated
 * git-sourced project).
 */
function isAtOrBelow(source: string, folder: string): boolean {
  if (!isAbsolute(source) || URL_SCHEME.test(source)) return false;
  const inside = relative(folder, source);
  return inside !== '..' && !inside.startsWith(`..${sep}`) && !isAbsolute(inside);
}

/** `scheme:` at the start, as URLs have (RFC 3986 §3.1); never a POSIX absolute path. */
const URL_SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;
