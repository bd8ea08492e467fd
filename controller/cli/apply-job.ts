import type { ObservedImage } from '../engine/engine.js';
import type { DependenciesOf } from '../executor/select-plan.js';
import type { DesiredObject } from '../../specs/model.js';
import type { PolicyFlags } from './policy-flags.js';

/** `berth apply`'s flags, as the CLI parsed them. */
export interface ApplyOptions extends PolicyFlags {
  filename: string[];
  prune?: boolean;
  timeout: string;
  parallel: string;
  dryRun?: boolean;
  /** Also wait until every container declared running is ready (DESIGN.md, second wave). */
  wait?: boolean;
  attach?: boolean;
  stopOnExit?: boolean;
  output?: 'text' | 'json' | 'yaml';
  project?: string;
  lockTimeout?: string;
  /** Delete objects another source folder applied (issue 19 item 10). */
  force?: boolean;
}

/** One apply's input, checked: the set, its project and the limits from the flags. */
export interface ApplyJob {
  project: string;
  desired: DesiredObject[];
  options: ApplyOptions;
  /** Unix ms. */
  started: number;
  timeoutMs: number;
  parallel: number;
  /** What history records as the source, when not the `-f` paths (a rollback). */
  sources?: string[];
  /** One line for history (`rollback to mi5k2x9a`). */
  message?: string;
  /**
   * The git commit of the source, once looked up ('' when there is none); stamped on the
   * containers created (`berth.commit`) and recorded in history.
   */
  commit?: string;
  /** ref → exact image id to run on (a rollback: the images that apply ran on). */
  pinnedImages?: ReadonlyMap<string, string>;
  /**
   * The engine's image list as observed for the plan, kept when the plan changes no image:
   * history then reads the images from it instead of one inspect per ref (a no-op apply stays
   * at its four list calls).
   */
  unchangedImages?: ObservedImage[];
  /**
   * Converge only the dependencies of one container (`berth run`, F269), nothing else; one
   * that finds nothing to do changes and records nothing. Unset: the whole set.
   */
  only?: DependenciesOf;
}
