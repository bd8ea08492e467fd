import type { Engine } from '../engine/engine.js';
import { LABEL } from '../labels.js';
import { desiredFromRecord, loadProjectView } from './project-view.js';
import type { ProjectStatus } from './status-types.js';

/**
 * The status of every berth project the engine holds (`get --all-projects`): one observation
 * of all projects, then each project compared with its own last applied set. A project without
 * a record lists its objects as not declared.
 */
export async function allProjectStatuses(
  engine: Engine,
  stateDir: string,
  now: number,
): Promise<ProjectStatus[]> {
  const observed = await engine.observe({});
  const projects = new Set<string>();
  for (const o of [...observed.containers, ...observed.networks, ...observed.volumes]) {
    const project = o.labels[LABEL.project];
    if (project) projects.add(project);
  }
  const statuses: ProjectStatus[] = [];
  for (const project of [...projects].sort()) {
    const desired = await desiredFromRecord(stateDir, project);
    statuses.push(
      (await loadProjectView(engine, { stateDir, project, desired, now, observed })).status,
    );
  }
  return statuses;
}
