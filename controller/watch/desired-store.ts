import {
  canonicalJSON,
  checkSet,
  limitedFieldLabel,
  limitedFieldUses,
  loadManifests,
  referencedFingerprint,
  referencedPaths,
} from '../../specs/index.js';
import type { LoadOptions, LoadResult } from '../../specs/index.js';
import { linkObjects } from '../../specs/index.js';
import type { DesiredObject, ObjectKey } from '../../specs/model.js';
import { objectKey } from '../../specs/model.js';
import type { Problem } from '../../specs/problems.js';
import { BerthError } from '../errors.js';
import { engineVerdicts, type EngineFactsOf } from '../executor/engine-carry.js';
import { groupByEngine } from '../executor/placement.js';
import { diffKeys } from './desired-diff.js';
import { addedStillUsed, inFiles, withProblems } from './desired-problems.js';
import { folderFingerprint } from './folder-fingerprint.js';

/** What the controller converges to right now, and whether it may delete what is not in it. */
export interface DesiredSnapshot {
  objects: DesiredObject[];
  /** Every problem of the last read, `file:line:col` each. */
  problems: Problem[];
  /**
   * What the read the objects came from says without refusing it (LoadResult.warnings: an
   * env file's unset `${VAR}` left blank, F188); kept with the set while it is kept.
   */
  warnings?: Problem[];
  /**
   * False while deleting could be a mistake: a broken file with no last good objects, or an
   * empty/vanished folder without --allow-empty.
   */
  prune: boolean;
  /** One line saying why the set is not simply the folder's content. */
  notice?: string;
  /**
   * A rollback's exact images: ref → image id of the apply gone back to (the plan tags each
   * ref back instead of rebuilding). Only on a pinned set.
   */
  pinnedImages?: ReadonlyMap<string, string>;
}

export interface ReloadResult {
  snapshot: DesiredSnapshot;
  /** Keys added, removed or changed (any field, not only those that force a recreate). */
  changed: ObjectKey[];
}

export interface DesiredStoreOptions {
  dir: string;
  allowEmpty: boolean;
  /** Reads the folder (injected for tests); default loadManifests. */
  load?: typeof loadManifests;
  /** The policy of every read (the CLI's --policy). */
  loadOptions?: Pick<LoadOptions, 'policy'> | undefined;
  /**
   * What the engine of each context says of itself (engine-carry.ts): a Container using a
   * field the engine it is placed on cannot carry is a problem of its file (F286). Without
   * it, no engine is asked.
   */
  engineFacts?: EngineFactsOf;
  /** Folder `dir` is relative to, and that problems are shown relative to (a git checkout). */
  cwd?: string;
  /** For a git checkout: where its relative BindMount host paths land (`--host-root`). */
  hostRoot?: { checkout: string; hostRoot: string };
  /** `--env-file` files for interpolation; none: `.env` in `dir`. */
  envFiles?: string[];
  /**
   * The Docker context the controller runs against (undefined: an address, or the default):
   * placing an object on it is no placement. Objects placed on other contexts are kept (the
   * controller reconciles each engine's part); one placed apart from what it uses is a
   * problem of its file, which keeps its last good objects.
   */
  engineContext?: string;
}

/**
 * The desired side of the controller: the folder's objects, where a file that is broken
 * right now keeps its last good objects (DESIGN.md: never prune because a file failed to
 * parse or validate), and an empty or vanished folder keeps the last set unless
 * --allow-empty. Each reload says which keys changed.
 */
export class DesiredStore {
  private lastGoodByFile = new Map<string, DesiredObject[]>();
  private current: DesiredSnapshot = { objects: [], problems: [], prune: false };
  private fingerprint: string | undefined;
  /** The folder has been read at least once (a seed from the records is then ignored). */
  private folderRead = false;
  /** The last answer of heldBack, with what it was computed from. */
  private peeked: { fingerprint: string; current: DesiredSnapshot; keys: ObjectKey[] } | undefined;

  constructor(private readonly options: DesiredStoreOptions) {}

  /**
   * Before the first read: the objects of the set last applied (the records), as the last good
   * objects of the files they came from (`source.file`). A file that is broken when the
   * controller starts then keeps the spec it last ran with, as it would have had the
   * controller been running all along (F117: after a restart its objects read as "not
   * declared any more", went unrepaired and dropped out of the last-applied set). Files that
   * read cleanly replace their seed at once; ignored once the folder has been read.
   */
  seedLastGood(objects: readonly DesiredObject[]): void {
    if (this.folderRead || this.lastGoodByFile.size > 0) return;
    for (const o of objects) {
      const file = o.source?.file;
      if (!file) continue;
      const list = this.lastGoodByFile.get(file) ?? [];
      list.push(o);
      this.lastGoodByFile.set(file, list);
    }
  }

  snapshot(): DesiredSnapshot {
    return this.current;
  }

  /**
   * Reads the folder again. With `ifChanged`, a folder whose files (names, sizes, times) and
   * the files the set references (fullFingerprint) are as at the last read is not parsed
   * again: the periodic resync's safety net for lost file events then costs a few stats
   * instead of a full parse and the hashing of every build context.
   */
  async reload(options: { ifChanged?: boolean } = {}): Promise<ReloadResult> {
    const refs = canonicalJSON(referencedPaths(this.current.objects));
    const fingerprint = await this.fullFingerprint();
    if (options.ifChanged && fingerprint === this.fingerprint)
      return { snapshot: this.current, changed: [] };
    this.folderRead = true;
    const read = await this.read();
    const next = this.assemble(read.result);
    // Taken before the read: a file saved meanwhile is read again next time. Files the new set
    // references and the old one did not have no stats in it yet: the next check reads all.
    // A read that could not ask an engine is read again at the next check too (F391).
    const sameRefs = refs === canonicalJSON(referencedPaths(next.objects));
    this.fingerprint = sameRefs && read.complete ? fingerprint : undefined;
    const changed = diffKeys(this.current.objects, next.objects);
    this.current = next;
    return { snapshot: next, changed };
  }

  /**
   * The folder's revision and the metadata of every path the current set references
   * (Secret/Config files, env files, build contexts: specs/referenced-stats.ts). A change to
   * any of them changes it (F122: the periodic resync never saw a changed Secret file).
   */
  private async fullFingerprint(): Promise<string> {
    const { dir, cwd, envFiles } = this.options;
    const [folder, referenced] = await Promise.all([
      folderFingerprint(dir, cwd, envFiles),
      referencedFingerprint(referencedPaths(this.current.objects)),
    ]);
    return `${folder}\n--\n${referenced}`;
  }

  /**
   * Keys the folder declares otherwise than the set converged to now — what a hold or a
   * rollback keeps back (DESIGN.md: status shows `Held`). Reads the folder without taking it
   * in; the answer is cached per folder revision and current set.
   */
  async heldBack(): Promise<ObjectKey[]> {
    const fingerprint = await this.revision();
    const cached = this.peeked;
    if (cached?.fingerprint === fingerprint && cached.current === this.current) return cached.keys;
    const kept = this.lastGoodByFile;
    const next = this.assemble((await this.read()).result);
    this.lastGoodByFile = kept;
    const keys = diffKeys(this.current.objects, next.objects);
    this.peeked = { fingerprint, current: this.current, keys };
    return keys;
  }

  /**
   * The folder's objects, with what no one file shows: placement and the engines' limits.
   * `complete` is false when an engine that had to be asked could not be (F391).
   */
  private async read(): Promise<{ result: LoadResult; complete: boolean }> {
    const load = this.options.load ?? loadManifests;
    const { cwd, hostRoot } = this.options;
    const result = await load([this.options.dir], {
      ...this.options.loadOptions,
      allowEmpty: true,
      ...(cwd ? { cwd } : {}),
      ...(hostRoot ? { hostRoot } : {}),
      ...(this.options.envFiles ? { envFiles: this.options.envFiles } : {}),
    });
    const misplaced = this.misplaced(result.set.objects);
    if (misplaced) return { result: withProblems(result, [misplaced]), complete: true };
    const { problems, complete } = await this.uncarried(result);
    return { result: withProblems(result, problems), complete };
  }

  /**
   * Each object's use of a field the engine it is placed on cannot carry (engine-carry.ts, as
   * apply asks), at the field: the file keeps its last good objects until it is fixed. A use
   * on an engine that cannot be asked now is kept back the same way, until that engine answers
   * (F391: it was taken in unchecked, and made when the engine came back).
   */
  private async uncarried(result: LoadResult): Promise<{ problems: Problem[]; complete: boolean }> {
    const { engineFacts, engineContext } = this.options;
    if (!engineFacts) return { problems: [], complete: true };
    const unasked = new Set<string | undefined>();
    const verdicts = await engineVerdicts(result.set.objects, engineContext, async (context) => {
      const facts = await engineFacts(context);
      if (!facts) unasked.add(context);
      return facts;
    });
    const problems = verdicts.flatMap((v) => v.problems);
    if (unasked.size === 0) return { problems, complete: true };
    return { problems: [...problems, ...this.unaskedUses(result, unasked)], complete: false };
  }

  /** The uses of engine-limited fields by objects placed on an engine that did not answer. */
  private unaskedUses(result: LoadResult, unasked: ReadonlySet<string | undefined>): Problem[] {
    const home = this.options.engineContext;
    const placed = result.set.objects.some((o) => o.context !== undefined);
    const groups = placed
      ? groupByEngine(result.set.objects, home)
      : [{ context: undefined, objects: result.set.objects }];
    return groups
      .filter((g) => unasked.has(g.context))
      .flatMap((g) =>
        limitedFieldUses(g.objects).map(({ object, field, at }) => ({
          ...at,
          code: 'E_ENGINE_UNASKED' as const,
          message: `${limitedFieldLabel(object)}: ${field}: ${g.context === undefined ? "berth's engine" : `the engine of context ${g.context}`} cannot be asked now whether it carries this; kept back until it answers`,
        })),
      );
  }

  /**
   * Converges to `objects` (an earlier apply: a rollback) instead of the folder until the next
   * reload, on the exact images `pinnedImages` names; returns the keys that changed. The
   * folder's last good files are kept, and the next reload reads the folder in full.
   */
  pin(
    objects: DesiredObject[],
    pinnedImages: ReadonlyMap<string, string>,
    notice: string,
  ): ObjectKey[] {
    const changed = diffKeys(this.current.objects, objects);
    this.current = { objects, problems: [], prune: true, notice, pinnedImages };
    this.fingerprint = undefined;
    return changed;
  }

  /** The folder's revision: names, sizes, times of its manifest files (a save changes it). */
  revision(): Promise<string> {
    return folderFingerprint(this.options.dir, this.options.cwd, this.options.envFiles);
  }

  /** Why `objects` cannot be split by engine, at the object concerned; undefined when they can. */
  private misplaced(objects: readonly DesiredObject[]): Problem | undefined {
    try {
      groupByEngine(objects, this.options.engineContext);
      return undefined;
    } catch (e) {
      if (!(e instanceof BerthError) || e.code !== 'E_MANIFEST') throw e;
      const { file = this.options.dir, line = 1, column = 1 } = e.context;
      return { file, line, column, code: 'E_PLACEMENT', message: e.message };
    }
  }

  private assemble(loaded: LoadResult): DesiredSnapshot {
    const result = this.emptiedKept(loaded);
    const problems = result.problems;
    const folderMissing = result.files.length === 0 && problems.length > 0;
    if (folderMissing) return this.keepPrevious(problems, 'the folder cannot be read');
    // A broken or unreadable env file (.env, --env-file) is no manifest file: every file would
    // be read without its values (`${V:-default}` → the default), so nothing is taken in.
    const envFile = problems.find((p) => !inFiles(p, result.files));
    if (envFile)
      return this.keepPrevious(
        problems,
        `${envFile.file} cannot be read as it is; keeping the last set until it is fixed`,
      );
    if (result.set.objects.length === 0 && problems.length === 0 && !this.options.allowEmpty) {
      const notice =
        'the folder declares nothing; keeping the last set (use --allow-empty to delete everything)';
      return { ...this.keepPrevious(problems, notice), notice };
    }
    const good = new Map<string, DesiredObject[]>();
    const objects: DesiredObject[] = [];
    const substitutes: DesiredObject[] = [];
    const added: DesiredObject[] = [];
    let unknownBroken = false;
    for (const file of result.files) {
      if (file.problems.length === 0) {
        good.set(file.file, file.objects);
        objects.push(...file.objects);
        continue;
      }
      added.push(...file.objects.filter((o) => o.kind === 'Network' && o.implied));
      const last = this.lastGoodByFile.get(file.file);
      if (last) good.set(file.file, last);
      else unknownBroken = true;
      substitutes.push(...(last ?? []));
    }
    // What a file that reads now declares wins over a broken file's last good objects: the
    // project default network berth adds (it moves to whichever file holds a container), or
    // an object moved from the broken file into another.
    const declared = new Set(objects.map(objectKey));
    objects.push(...substitutes.filter((o) => !declared.has(objectKey(o))));
    objects.push(...addedStillUsed(added, objects));
    // The clean files were linked without the broken files' objects: a container whose Image
    // a broken file declares read its name as a literal reference (`appimg`), a new spec, and
    // was replaced on every read (F661). Linked again with the last good objects beside them.
    if (substitutes.length > 0) objects.splice(0, objects.length, ...linkObjects(objects));
    // Substituted objects must still make a consistent set; if not, change nothing yet.
    if (checkSet(objects).length > 0 || this.misplaced(objects)) {
      return this.keepPrevious(
        problems,
        'the folder is inconsistent while files are broken; keeping the last set',
      );
    }
    this.lastGoodByFile = good;
    const prune = !unknownBroken;
    const notice = problems.length
      ? `${problems.length} problem(s) in the manifests; broken files keep their last good objects${prune ? '' : ', and nothing is pruned'}`
      : undefined;
    const { warnings } = result;
    return { objects, problems, prune, ...(notice ? { notice } : {}), warnings };
  }

  /**
   * A file that declared objects and now declares none is read as broken, so its objects keep
   * their last good spec (F342): a file being rewritten with `>` (`helm template … >`, `curl …
   * >`, a slow generator) is empty until its content lands, and deleting and recreating the
   * containers meanwhile is an outage nobody asked for. Deleting the file removes its objects.
   */
  private emptiedKept(result: LoadResult): LoadResult {
    const emptied: Problem[] = result.files
      .filter((f) => f.problems.length === 0 && f.objects.length === 0)
      .filter((f) => (this.lastGoodByFile.get(f.file)?.length ?? 0) > 0)
      .map((f) => ({
        file: f.file,
        line: 1,
        column: 1,
        code: 'E_EMPTY',
        message:
          'the file declares nothing now; its objects keep their last spec (delete the file to remove them)',
      }));
    return withProblems(result, emptied);
  }

  private keepPrevious(problems: Problem[], notice: string): DesiredSnapshot {
    const { objects, warnings = [] } = this.current;
    return { objects, problems, prune: false, notice, warnings };
  }
}
