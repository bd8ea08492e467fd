import type { ProjectStatus } from './status-types.js';

/**
 * A running `berth watch` controller that already knows the project's status.
 *
 * Seam for the status-API issue (DESIGN.md: "`berth status` and `berth get` use a running
 * controller when there is one"): `findRunningController` finds the controller's lock file
 * under the state folder and returns a client of its `GET /api/v1/status`; without one,
 * commands observe the engine themselves.
 */
export interface RunningController {
  readonly address: string;
  projectStatus(project: string): Promise<ProjectStatus>;
}

export async function findRunningController(
  stateDir: string,
  project: string,
): Promise<RunningController | undefined> {
  // Loaded on demand; the lock files of `berth watch` say where its API listens.
  const { findControllerClient } = await import('../api/client.js');
  return findControllerClient(stateDir, project, process.env.BERTH_TOKEN);
}
