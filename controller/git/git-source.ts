import { rename, rm, symlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { watch, type FSWatcher } from 'node:fs';
import { BerthError } from '../errors.js';
import { runGit } from './git-cli.js';
import { linksLeaving } from './links-leaving.js';
import { GitMirror, isLocalRepo, type GitCommit } from './git-mirror.js';

/** A relevant commit, exported and ready to be read. */
export interface GitRevision extends GitCommit {
  /** The folder holding the commit's tree (stable across commits: `…/current`). */
  root: string;
  /** The folder to read manifests from: `root` joined with `--path`. */
  dir: string;
}

/** DESIGN.md's `SourceReady` condition, as status and the API show it. */
export interface SourceCondition {
  type: 'SourceReady';
  status: 'True' | 'False' | 'Unknown';
  /** Why not ready, one line; credentials never appear here. */
  reason?: string;
  /** Unix ms of the last check that succeeded (a fetch, or a ref check that found no change). */
  lastSuccess?: number;
  lastError?: string;
  consecutiveFailures: number;
  /** The commit last handed to the controller (the last relevant one). */
  revision?: string;
  /** The commit the ref points at now, relevant or not. */
  head?: string;
}

/** Where the source hands each relevant commit; resolves when the controller has read it. */
export interface GitSink {
  revision(revision: GitRevision): Promise<void>;
}

export interface GitSourceOptions {
  /** Normalised URL (see normaliseRepoUrl): `file://…` for a repository on this machine. */
  url: string;
  /** Branch, tag or full ref; default the remote's HEAD. */
  ref?: string;
  /** Folder inside the repository that holds the manifests; default the root. */
  path?: string;
  /** Poll period of a remote, ms (a local repository is watched and also polled). */
  intervalMs: number;
  stateDir: string;
  /** The project this source feeds: its copy of the repository is its own (see GitMirror). */
  project: string;
  /** An SSH allowed-signers file: only commits `git verify-commit` accepts are applied. */
  allowedSigners?: string;
  /**
   * The commit whose set the controller runs (its last apply's), which a refused commit's
   * reason names as kept: the controller may have refused a commit handed to it (a folder
   * that declares nothing, every file broken), so the last handed over is not it (F35).
   * Without it, the last commit handed over is named.
   */
  appliedCommit?: () => string | undefined;
  now?: () => number;
  /**
   * Called when the condition's status or reason changes (not for every failed check of the
   * same kind), so the controller logs a failing source once and its recovery once.
   */
  onChange?: (now: SourceCondition, before: SourceCondition) => void;
}

/** Ref changes closer together than this are one change (a push writes several files). */
const LOCAL_DEBOUNCE_MS = 30;

/**
 * A git repository as the controller's source (DESIGN.md "Git source"). Each check asks
 * where the ref points (`ls-remote`: one cheap request); only when it moved is the commit
 * fetched (shallow), verified when asked, and, if it changes anything under `path`, exported
 * and handed to the sink. A failed check keeps the last good revision and is counted in the
 * SourceReady condition; nothing is ever pruned because of it. Checks never overlap: one
 * asked for while another runs is run once after it.
 */
export class GitSource {
  private readonly mirror: GitMirror;
  private readonly now: () => number;
  private state: SourceCondition = {
    type: 'SourceReady',
    status: 'Unknown',
    consecutiveFailures: 0,
  };
  /** Tree id under `path` of the revision last handed over: a commit with the same one is irrelevant. */
  private appliedTree: string | undefined;
  private seenHead: string | undefined;
  /** A head refused (bad signature, missing path): not fetched again until the ref moves. */
  private refused: { sha: string; reason: string } | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly watchers: FSWatcher[] = [];
  private debounce: NodeJS.Timeout | undefined;
  private sink: GitSink | undefined;
  /** Counts for the benchmark and tests: how often the remote was asked and fetched from. */
  readonly counters = { refChecks: 0, fetches: 0 };

  constructor(private readonly options: GitSourceOptions) {
    this.mirror = new GitMirror(options.url, options.stateDir, options.project);
    this.now = options.now ?? Date.now;
  }

  /**
   * The folder that always holds the last relevant commit's tree (a symlink swapped
   * atomically per commit), so file paths, and so the controller's per-file memory of
   * last good objects, stay the same across commits.
   */
  get checkoutRoot(): string {
    return join(this.mirror.checkoutsDir, '..', 'current');
  }

  /** The folder holding one checkout per commit: where {@link checkoutRoot} really leads. */
  get checkoutsDir(): string {
    return this.mirror.checkoutsDir;
  }

  /** The current SourceReady condition (a copy). */
  condition(): SourceCondition {
    return { ...this.state };
  }

  /** Seconds since the last check that succeeded, or undefined before the first. */
  secondsSinceLastGoodCheck(): number | undefined {
    const last = this.state.lastSuccess;
    return last === undefined ? undefined : (this.now() - last) / 1000;
  }

  /**
   * Runs the first check (its failure is recorded, not thrown: the controller keeps
   * running and retries), then watches the ref (local) and polls every interval.
   */
  async start(sink: GitSink): Promise<void> {
    this.sink = sink;
    await this.mirror.ensure();
    await this.checkNow();
    // A local folder that is not (yet) a repository is still polled; its error is in the condition.
    if (isLocalRepo(this.options.url)) await this.watchLocalRefs().catch(() => undefined);
    if (this.options.intervalMs > 0) {
      this.timer = setInterval(() => void this.checkNow(), this.options.intervalMs);
      this.timer.unref();
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    clearTimeout(this.debounce);
    for (const w of this.watchers.splice(0)) w.close();
    await this.running;
  }

  /** Checks the ref now (a webhook, a local ref change, the timer); resolves when done. */
  checkNow(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.check().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        void this.checkNow();
      }
    });
    return this.running;
  }

  private async check(): Promise<void> {
    const before = this.state;
    await this.checkAndRecord();
    if (before.status !== this.state.status || gist(before.reason) !== gist(this.state.reason))
      this.options.onChange?.(this.condition(), before);
  }

  private async checkAndRecord(): Promise<void> {
    try {
      await this.checkOnce();
      this.state = {
        ...this.state,
        status: this.refused ? 'False' : 'True',
        lastSuccess: this.now(),
        consecutiveFailures: 0,
        ...(this.refused ? { reason: this.refused.reason } : { reason: undefined }),
      };
    } catch (e) {
      const message = (e as Error).message;
      this.state = {
        ...this.state,
        status: 'False',
        reason: message,
        lastError: message,
        consecutiveFailures: this.state.consecutiveFailures + 1,
      };
    }
  }

  private async checkOnce(): Promise<void> {
    const ref = this.options.ref ?? 'HEAD';
    this.counters.refChecks += 1;
    const head = await this.mirror.remoteHead(ref);
    if (!head) throw new BerthError('E_SOURCE', `ref ${ref} does not exist in the repository`);
    this.state.head = head;
    if (head === this.seenHead) return;
    this.refused = undefined;
    this.counters.fetches += 1;
    const sha = await this.mirror.fetch(ref);
    this.seenHead = sha;
    if (this.options.allowedSigners) {
      const why = await this.mirror.verify(sha, this.options.allowedSigners);
      if (why) return void (this.refused = { sha, reason: `${why}; keeping ${this.kept()}` });
    }
    const path = this.options.path ?? '.';
    const tree = await this.mirror.treeId(sha, path);
    if (!tree) {
      this.refused = {
        sha,
        reason: `commit ${sha.slice(0, 12)} has no folder ${path}; keeping ${this.kept()}`,
      };
      return;
    }
    if (tree === this.appliedTree) return;
    const keep = this.state.revision ? [this.state.revision] : [];
    const folder = await this.mirror.export(sha, keep);
    const leaving = await linksLeaving(folder);
    if (leaving.length) {
      const links = leaving.map((l) => `${l.path} -> ${l.target}`).join(', ');
      this.refused = {
        sha,
        reason: `commit ${sha.slice(0, 12)} has symbolic links that lead outside the repository (${links}); berth applies only what the commit holds; keeping ${this.kept()}`,
      };
      return;
    }
    await this.handOver(sha, path, folder);
    this.appliedTree = tree;
  }

  private kept(): string {
    const applied = this.options.appliedCommit ? this.options.appliedCommit() : this.state.revision;
    return applied ? `the last good commit ${applied.slice(0, 12)}` : 'nothing applied yet';
  }

  /** Points `current` at the commit's exported `folder` atomically, and gives it to the sink. */
  private async handOver(sha: string, path: string, folder: string): Promise<void> {
    const root = this.checkoutRoot;
    const temp = `${root}.${process.pid}.tmp`;
    await rm(temp, { force: true });
    await symlink(folder, temp);
    await rename(temp, root);
    const commit = await this.mirror.commit(sha);
    await this.sink?.revision({ ...commit, root, dir: join(root, path) });
    this.state.revision = sha;
  }

  /**
   * Watches the folders that hold the repository's refs with inotify (node's fs.watch, set
   * up synchronously: chokidar reports `ready` before its watches are armed, and a commit
   * made right then was missed), so a commit to a local repository is noticed within a
   * second without polling. A push rewrites a ref file (or packed-refs) by rename.
   */
  private async watchLocalRefs(): Promise<void> {
    const repo = new URL(this.options.url).pathname;
    const gitDir = await localGitDir(repo);
    const ref = this.options.ref ?? '';
    const nested = ref.includes('/') && !ref.startsWith('refs/') ? dirname(ref) : '';
    const folders = [
      gitDir,
      join(gitDir, 'refs', 'heads'),
      join(gitDir, 'refs', 'heads', nested),
      join(gitDir, 'refs', 'tags'),
    ];
    const onChange = () => {
      clearTimeout(this.debounce);
      this.debounce = setTimeout(() => void this.checkNow(), LOCAL_DEBOUNCE_MS);
    };
    for (const folder of new Set(folders)) {
      try {
        const watcher = watch(folder, { persistent: false }, onChange);
        watcher.on('error', () => undefined);
        this.watchers.push(watcher);
      } catch {
        // A folder that does not exist (no tags yet): the interval check still covers it.
      }
    }
  }
}

/** A reason without its numbers: curl's `after 3 ms` must not make every failed check news. */
function gist(reason: string | undefined): string | undefined {
  return reason?.replace(/\d+/g, '0');
}

/** The git folder of a local repository: `.git` of a work tree, or the bare repository itself. */
async function localGitDir(repo: string): Promise<string> {
  const result = await runGit(['rev-parse', '--absolute-git-dir'], { cwd: repo });
  if (result.code !== 0)
    throw new BerthError('E_SOURCE', `${repo} is not a git repository`, {
      hint: 'give --git a repository folder or URL',
    });
  return result.stdout.trim();
}
