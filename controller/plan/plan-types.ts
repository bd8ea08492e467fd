import type { Kind, ObjectKey } from '../../specs/model.js';
import type { ContainerCreateRequest, ContainerSettingsUpdate } from '../engine/engine.js';
import type { ContainerSituation } from '../lifecycle/container-decision.js';

/**
 * One engine call (or host-side action) of a plan. Each step maps to exactly one
 * operation, and carries the reason it is needed.
 */
export type StepAction =
  | 'pull'
  | 'build'
  | 'ensure-path'
  | 'create'
  | 'start'
  | 'stop'
  | 'pause'
  | 'unpause'
  | 'remove'
  | 'connect'
  | 'disconnect'
  | 'forget'
  /**
   * An update's rename (`<name>-next` → `<name>`, `<name>` → `<name>-prev`), a name repair, or
   * replica 1 renamed in place by a scale change (`<name>` ↔ `<name>-1`).
   */
  | 'rename'
  /** A rollback points an image ref back at the exact image id it ran on (`target`). */
  | 'tag'
  /**
   * An update's health gate: no engine call, a wait until the new container is healthy (or
   * has run `minReady` without exiting); the old one goes only after it passed.
   */
  | 'gate'
  /** Settings changed outside berth set back in place (`docker update`; no restart). */
  | 'update';

/** `+` creates, `~` changes (recreate or transition), `-` deletes. */
export type StepSymbol = '+' | '~' | '-';

export interface PlanStep {
  key: ObjectKey;
  action: StepAction;
  symbol: StepSymbol;
  /** Why this step is needed: "env changed", "stopped outside berth", "not declared any more". */
  cause: string;
  /** For connect/disconnect: the declared name of the container concerned; for tag: the image id. */
  target?: string;
}

/** What one object needs, in the order its steps run. */
export interface ObjectPlan {
  key: ObjectKey;
  kind: Kind;
  name: string;
  /** Engine name (`<project>-<name>`), when the kind has one on the engine. */
  engineName?: string;
  /** Engine id of the observed object, when there is one. */
  engineId?: string;
  /** 'absent', an engine state for containers, 'present' for the other kinds. */
  observed: string;
  /** The declared state for containers, 'present' for other kinds, 'absent' for deletions. */
  desired: string;
  steps: PlanStep[];
  /**
   * True when the object matches its declaration. An object can be out of sync with no
   * step to take (a container under `restartPolicy: Never` that exited): `reason` says why.
   */
  inSync: boolean;
  /** One line on why the object is out of sync, or on what keeps it as it is. */
  reason?: string;
  /**
   * A container declared `running` that ran to completion (exit code 0 under `restartPolicy`
   * OnFailure or Never): in sync while exited; status does not count it as not ready.
   */
  completed?: boolean;
  /** Keys this object waits for before its steps run (images, networks, dependsOn…). */
  after: ObjectKey[];
  /** For a declared container: its situation, decided once by the planner; the executor runs it. */
  container?: ContainerPlanEntry;
}

/**
 * A declared container's situation, built once by the planner and stored on its plan entry:
 * the executor hands it to the container machine as it is. The one thing only known at run
 * time is the id of an image pulled or built earlier in the same run (`imageFromRun`).
 */
export interface ContainerPlanEntry {
  situation: ContainerSituation;
  /** Why it must be replaced ("spec changed: env", "image id changed"); unset when it need not be. */
  replaceCause?: string;
  /** Id of the image it should run, when known before anything runs. */
  imageId?: string;
  /** True when an image step of this plan pulls or builds its image: compare ids once it ran. */
  imageFromRun: boolean;
  /**
   * The replacement stands only if the image this plan builds or pulls has another id than the
   * one the container runs: set when the image step is the only cause (`image X rebuilt`). A
   * rebuild after the tag was removed or moved by hand can give back the very same image
   * (F267), and `docker compose up` leaves a container alone whose image id did not change.
   * The plan lists the replacement; the executor decides once the image step ran.
   */
  replaceIf?: 'image-differs';
  /** The replacement goes through the update path (start-first or stop-first, gated; issue 14). */
  update?: boolean;
  /**
   * Settings changed outside berth (`docker update`: restart policy, limits) set back in
   * place, before the entry's other steps (its `update` step; F272). Only where they were read
   * (the watch reads them for a container the engine says was updated) and no replace is due.
   */
  settings?: ContainerSettingsUpdate;
  /** The create request a (re)create sends. */
  request: ContainerCreateRequest;
  /**
   * Replica 1 renamed in place first (`replicas` changed between 1 and more; F26): the engine
   * id of the container, the engine name it takes, and the declared networks it is connected
   * to again before, for its new aliases (the entry's `disconnect`/`connect` steps of those
   * networks). The rest of the entry is planned for it.
   */
  rename?: { id: string; to: string; networks: string[] };
}

/** An engine object with our name but without our labels: never adopted, renamed or removed. */
export interface PlanConflict {
  key: ObjectKey;
  engineName: string;
  message: string;
}

export interface Plan {
  project: string;
  /** Declared objects in dependency order, then objects to delete in reverse order. */
  objects: ObjectPlan[];
  conflicts: PlanConflict[];
  /**
   * Without `--prune`: the owned objects no longer declared that the plan leaves on the engine
   * (the deletions `--prune` would add). Unset when there are none, or with `--prune`.
   */
  orphans?: ObjectPlan[];
}
