import type { SourcePosition } from '../model.js';
import type { Problem, ProblemCode } from '../problems.js';
import type { Locator, ValuePath } from '../parse/locate.js';
import type { Policy } from '../policy.js';
import { formatPath } from '../validate/schema-errors.js';
import { blankVariableNote } from '../validate/blank-values.js';
import { scalarString } from '../parse/scalar-text.js';
import type { VariableLookup } from '../interpolate/resolve.js';

/** What normalising one schema-valid document needs, and where its problems go. */
export class NormaliseContext {
  readonly problems: Problem[] = [];
  /** Said, not refused: what was read in a way the user may not expect (F188). */
  readonly warnings: Problem[] = [];

  constructor(
    /** `Container "web"`, for messages. */
    readonly label: string,
    /** Absolute folder against which relative paths resolve (the manifest's, or cwd for stdin). */
    readonly baseDir: string,
    readonly policy: Policy,
    readonly locate: Locator,
    readonly source: SourcePosition,
    /**
     * Folder that relative BindMount host paths resolve against: `baseDir`, except for a
     * git checkout, whose host paths resolve under `--host-root` (never inside the checkout).
     */
    readonly hostBaseDir: string = baseDir,
    /** The manifest as parsed, to name the variables that left a reported value blank. */
    readonly document?: object,
    /**
     * The project's variables (environment, then `.env`/`--env-file`), which `${VAR}` in a
     * container's `envFiles` reads first, as Compose's `env_file` does.
     */
    readonly variables?: VariableLookup,
  ) {}

  /**
   * Records a problem at a value, phrased as `<Object>: <path> <text>`, plus the variables
   * that interpolation left blank in it (`: variable DIR is not set`), if any.
   */
  report(code: ProblemCode, path: ValuePath, text: string): void {
    this.problems.push({
      ...this.locate(path),
      code,
      message: `${this.label}: ${formatPath(path)} ${text}${blankVariableNote(this.document, path)}`,
    });
  }

  /** Records a warning at a value, phrased as `report` phrases a problem. */
  warn(code: ProblemCode, path: ValuePath, text: string): void {
    this.warnings.push({
      ...this.locate(path),
      code,
      message: `${this.label}: ${formatPath(path)} ${text}`,
    });
  }
}

/**
 * Stringifies scalar map values and sorts by key. A YAML number or boolean keeps the text
 * it was written with (`VERSION: 1.10` → "1.10", `MODE: 0755` → "0755"; issue 19 item 1).
 */
export function stringMap(
  map: Record<string, string | number | boolean> | undefined,
): Record<string, string> {
  const source = map ?? {};
  const entries = Object.keys(source).map((k) => [k, scalarString(source, k)] as const);
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries);
}
