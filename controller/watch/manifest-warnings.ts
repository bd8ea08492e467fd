import { formatWarning } from '../../specs/problems.js';
import type { DesiredSnapshot } from './desired-store.js';

/**
 * The desired set's warnings (an env file's unset `${VAR}` left blank, F188), said once per
 * change: `apply` prints them on stderr each run; the controller logs them when the set it
 * converges to changes or they do, never on every reload of an unchanged folder (F291: watch
 * dropped them, so the log never said why a variable ran blank).
 */
export class ManifestWarnings {
  /** The warnings last said, one per line. */
  private said = '';

  /**
   * The warnings of `snapshot`, as `file:line:col: warning: …`, when there is something to
   * say: the set changed (`setChanged`) or they differ from those last said (an empty list:
   * they cleared). Undefined when nothing changed.
   */
  toSay(snapshot: DesiredSnapshot, setChanged: boolean): string[] | undefined {
    const warnings = (snapshot.warnings ?? []).map(formatWarning);
    const text = warnings.join('\n');
    const say = setChanged || text !== this.said;
    this.said = text;
    return say ? warnings : undefined;
  }
}
