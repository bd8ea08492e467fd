import { objectKey } from '../../specs/model.js';
import type { ActionHandler, ActionTable } from '../api/actions.js';
import { BerthError } from '../errors.js';
import { readHistory, readLastApplied } from '../records/records.js';
import type { ProjectStatus } from '../status/status-types.js';
import type { WatchController } from '../watch/controller.js';
import { LiveView } from './live-view.js';
import { updateActions } from './update-actions.js';

export interface WatchWebOptions {
  controller: WatchController;
  /** How the page names the engine the watch runs against (its context, its address). */
  engineName: string;
  project: string;
  stateDir: string;
  /** The status the API serves (observes the engine). */
  status: () => Promise<ProjectStatus>;
  /** `--ui-actions`: offer sync, restart, rollback, hold and release to the page. */
  uiActions: boolean;
}

/**
 * The web view of `berth watch` (issue 16): a LiveView fed by the controller, and the action
 * table (empty unless `--ui-actions`): sync, restart, and the update actions (rollback, hold,
 * release); the page shows only the actions listed here.
 */
export function watchWeb(options: WatchWebOptions): {
  view: LiveView;
  actions: ActionTable;
  /** What the local CLI may ask for (rollback, hold, release, restart), with or without --ui-actions. */
  control: ActionTable;
} {
  const { controller, project, stateDir } = options;
  const actions: ActionTable = options.uiActions ? actionTable(options) : new Map();
  const control: ActionTable = new Map(
    [...updateActions({ ...options, caller: 'cli' }), restartAction(options)].map((e) => [
      e.action.id,
      e,
    ]),
  );
  const view = new LiveView({
    bus: controller.bus,
    status: options.status,
    desired: () => controller.store.snapshot().objects,
    applied: async () => {
      const read = await readLastApplied(stateDir, project);
      return read.ok ? read.value.objects : undefined;
    },
    history: async () => {
      const read = await readHistory(stateDir, project);
      return read.ok ? read.value : [];
    },
    engineReachable: () => controller.metrics.engineReachable,
    engine: options.engineName,
    actions: () => [...actions.values()].map((a) => a.action),
  });
  return { view, actions, control };
}

function actionTable(options: WatchWebOptions): ActionTable {
  const entries: ActionHandler[] = [
    syncAction(options),
    restartAction(options),
    ...updateActions(options),
  ];
  return new Map(entries.map((e) => [e.action.id, e]));
}

/** Sync: read the folder again and queue every declared object, as a change of the folder would. */
function syncAction({ controller }: WatchWebOptions): ActionHandler {
  return {
    action: { id: 'sync', label: 'Sync', scope: 'project' },
    async run() {
      await controller.reloadFolder();
      const keys = controller.store.snapshot().objects.map(objectKey);
      for (const key of keys) controller.lanes.add(key, { kind: 'requested', action: 'sync' });
      void controller.requestResync('requested');
      return `sync queued for ${keys.length} objects`;
    },
  };
}

/**
 * Restart: stop (within the container's grace period) and start the container, as `docker
 * restart` does (paused again when declared paused), on the engine it is placed on (target
 * `Kind/name@context` off berth's own). The page's Restart and `berth restart` run it; it is
 * a requested restart, not a crash (F154): the controller leaves the container alone while it
 * runs and looks at it again afterwards.
 */
function restartAction({ controller, status }: WatchWebOptions): ActionHandler {
  return {
    action: { id: 'restart', label: 'Restart', scope: 'object', kinds: ['Container'] },
    async run(target) {
      const plain = target?.replace(/@[^@/]*$/, '');
      const declared = controller.store.snapshot().objects.find((o) => objectKey(o) === plain);
      if (declared?.kind !== 'Container')
        throw new BerthError('E_USAGE', `${target} is not a declared container`);
      const id = (await status()).objects.find((o) => o.key === target)?.id;
      if (!id) throw new BerthError('E_CONFLICT', `${target} has no container on the engine`);
      const key = objectKey(declared);
      const engine = await controller.lanes.laneFor(key).engine();
      await controller.restartRequested(key, [id], async () => {
        await engine.stopContainer(id, Math.ceil(declared.spec.stopGracePeriodMs / 1000));
        await engine.startContainer(id);
        if (declared.spec.state === 'paused') await engine.pauseContainer(id);
      });
      return `${target} restarted`;
    },
  };
}
