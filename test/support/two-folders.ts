import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { uniqueProject } from './docker.js';
import { sleeperYaml } from './manifests.js';

/**
 * Issue 19 item 10's set-up: `work/one/<project>/web.yaml` and `work/two/<project>/db.yaml`,
 * two folders whose one base name makes them default to the same project. `stateHome` is
 * berth's state folder inside `work`; remove `work` when done.
 */
export function twoFoldersOneProject(prefix: string): {
  work: string;
  stateHome: string;
  project: string;
  one: string;
  two: string;
} {
  const work = mkdtempSync(join(tmpdir(), `berth-${prefix}-`));
  const project = uniqueProject(prefix);
  const one = join(work, 'one', project);
  const two = join(work, 'two', project);
  mkdirSync(one, { recursive: true });
  mkdirSync(two, { recursive: true });
  writeFileSync(join(one, 'web.yaml'), sleeperYaml('web'));
  writeFileSync(join(two, 'db.yaml'), sleeperYaml('db'));
  return { work, stateHome: join(work, 'state'), project, one, two };
}
