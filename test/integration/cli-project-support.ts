import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanupProject, uniqueProject } from '../support/docker.js';

/** A scratch folder for CLI tests: a state home, a unique project and its manifest folder. */
export interface CliProject {
  work: string;
  stateHome: string;
  project: string;
  /** The manifest folder (`<work>/app`) holding `app.yaml`. */
  dir: string;
  /** Removes the project's engine objects and the scratch folder (for afterAll). */
  cleanup(): Promise<void>;
}

/** Makes the scratch folder and writes `manifest` as `app.yaml` in it. */
export function cliProject(prefix: string, manifest: string): CliProject {
  const work = mkdtempSync(join(tmpdir(), `berth-${prefix}-`));
  const dir = join(work, 'app');
  mkdirSync(dir);
  writeFileSync(join(dir, 'app.yaml'), manifest);
  const project = uniqueProject(prefix);
  return {
    work,
    stateHome: join(work, 'state'),
    project,
    dir,
    cleanup: async () => {
      await cleanupProject(project);
      rmSync(work, { recursive: true, force: true });
    },
  };
}
