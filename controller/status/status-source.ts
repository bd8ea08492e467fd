import type { ProjectStatus } from './status-types.js';

/**
 * A running `berth watch` controller that already knows the project's status.
 *
 * Seam for the status-API issue (DESIGN.md: "`berth status` and `berth get` use a running
 * controller when there is one"): when that lands, `findRunningController` should look for the
 * controller's address (e.g. a file under the state folder), call `GET /api/v1/status`, and
 * return a client. Until then there is never one and commands observe the engine themselves.
 */
export interface RunningController {
  readonly address: string;
  projectStatus(project: string): Promise<ProjectStatus>;
}

export async function findRunningController(
  _stateDir: string,
  _project: string,
): Promise<RunningController | undefined> {
  return undefined;
}
