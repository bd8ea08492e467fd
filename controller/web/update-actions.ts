import type { ActionHandler } from '../api/actions.js';
import { BerthError } from '../errors.js';
import { holdProject, releaseProject } from '../records/hold.js';
import { readHistory } from '../records/records.js';
import { rollbackTarget } from '../records/rollback-target.js';
import type { WatchController } from '../watch/controller.js';

/** What the update actions of `berth watch` need. */
export interface UpdateActionDeps {
  controller: WatchController;
  project: string;
  stateDir: string;
  now?: () => number;
  /**
   * Who asks: the web view's buttons (answered at once; the page follows the rest live), or
   * the local CLI (`berth rollback|hold|release` while watch owns the project): its rollback
   * answers once the controller has worked it off, with the outcome history recorded.
   */
  caller?: 'web view' | 'cli';
}

/**
 * Rollback, hold and release of a running `berth watch`, on the same records as the CLI verbs
 * run without a controller: rollback converges to an earlier apply (target `Apply/<id>` or a
 * commit's short sha, default the apply before the last) on its exact images and holds the
 * project until release or a new source revision; hold stops the controller applying new
 * revisions; release reads the source again at once. The web view offers them with
 * `--ui-actions`; the local CLI reaches them through `POST /api/v1/control/ID` (DESIGN.md
 * "Updates and rollback": in watch, a rollback or hold holds the project).
 */
export function updateActions(deps: UpdateActionDeps): ActionHandler[] {
  return [rollbackAction(deps), holdAction(deps), releaseAction(deps)];
}

function rollbackAction(deps: UpdateActionDeps): ActionHandler {
  const { controller, project, stateDir } = deps;
  return {
    action: { id: 'rollback', label: 'Roll back', scope: 'project' },
    async run(target) {
      const history = await readHistory(stateDir, project);
      const id = target?.startsWith('Apply/') ? target.slice('Apply/'.length) : undefined;
      const entry = rollbackTarget(history.ok ? history.value : [], id, project);
      const { changed, settled } = await controller.rollbackTo(entry);
      const held = 'held until berth release or a new source revision';
      if (deps.caller !== 'cli')
        return `rolling back to apply ${entry.id}: ${changed.length} objects change; ${held}`;
      const recorded = await settled;
      const outcome = recorded?.outcome ?? 'converged';
      const failed = recorded?.counts.failed ?? 0;
      const what = `rollback to apply ${entry.id}: ${outcome} (${changed.length} changed${failed ? `, ${failed} failed` : ''})`;
      if (outcome !== 'converged')
        throw new BerthError('E_CONVERGE', what, { hint: 'berth status shows what is failing' });
      return `${what}; ${held}`;
    },
  };
}

function holdAction(deps: UpdateActionDeps): ActionHandler {
  const { controller, project, stateDir, now = Date.now } = deps;
  const by = deps.caller === 'cli' ? 'berth hold' : 'web view';
  return {
    action: { id: 'hold', label: 'Hold', scope: 'project' },
    async run() {
      const hold = await holdProject(stateDir, project, by, now());
      controller.bus.publish({ type: 'hold', held: true, by: hold.by, time: now() });
      return `project ${project} held since ${new Date(hold.since).toISOString()}; berth release resumes`;
    },
  };
}

function releaseAction(deps: UpdateActionDeps): ActionHandler {
  const { controller, project, stateDir, now = Date.now } = deps;
  const by = deps.caller === 'cli' ? 'berth release' : 'web view';
  return {
    action: { id: 'release', label: 'Release', scope: 'project' },
    async run() {
      const was = await releaseProject(stateDir, project);
      controller.bus.publish({ type: 'hold', held: false, by, time: now() });
      // The source is read now, not at the next resync (FINDINGS F6: release took 8–12 s).
      await controller.reloadFolder();
      return was
        ? `project ${project} released; the source's current revision is being applied`
        : `project ${project} was not held`;
    },
  };
}
