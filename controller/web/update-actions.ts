import type { ActionHandler } from '../api/actions.js';
import { holdProject, releaseProject } from '../records/hold.js';
import { readHistory } from '../records/records.js';
import { rollbackTarget } from '../records/rollback-target.js';
import type { WatchController } from '../watch/controller.js';

/** What the update actions of the web view need from `berth watch`. */
export interface UpdateActionDeps {
  controller: WatchController;
  project: string;
  stateDir: string;
  now?: () => number;
}

/**
 * Rollback, hold and release as web-view actions (`--ui-actions`, DESIGN.md "Web view"), on
 * the same records as `berth rollback` / `berth hold` / `berth release`: rollback converges to
 * an earlier apply (target `Apply/<id>`, default the apply before the last) on its exact
 * images and holds the project until release or a new source revision; hold stops the
 * controller applying new revisions; release reads the source again at once.
 */
export function updateActions(deps: UpdateActionDeps): ActionHandler[] {
  return [rollbackAction(deps), holdAction(deps), releaseAction(deps)];
}

function rollbackAction({ controller, project, stateDir }: UpdateActionDeps): ActionHandler {
  return {
    action: { id: 'rollback', label: 'Roll back', scope: 'project' },
    async run(target) {
      const history = await readHistory(stateDir, project);
      const id = target?.startsWith('Apply/') ? target.slice('Apply/'.length) : undefined;
      const entry = rollbackTarget(history.ok ? history.value : [], id, project);
      const changed = await controller.rollbackTo(entry);
      return `rolling back to apply ${entry.id}: ${changed.length} objects change; held until release or a new revision`;
    },
  };
}

function holdAction(deps: UpdateActionDeps): ActionHandler {
  const { controller, project, stateDir, now = Date.now } = deps;
  return {
    action: { id: 'hold', label: 'Hold', scope: 'project' },
    async run() {
      const hold = await holdProject(stateDir, project, 'web view', now());
      controller.bus.publish({ type: 'hold', held: true, by: hold.by, time: now() });
      return `project ${project} held since ${new Date(hold.since).toISOString()}`;
    },
  };
}

function releaseAction(deps: UpdateActionDeps): ActionHandler {
  const { controller, project, stateDir, now = Date.now } = deps;
  return {
    action: { id: 'release', label: 'Release', scope: 'project' },
    async run() {
      const was = await releaseProject(stateDir, project);
      controller.bus.publish({ type: 'hold', held: false, by: 'web view', time: now() });
      await controller.reloadFolder();
      return was ? `project ${project} released` : `project ${project} was not held`;
    },
  };
}
