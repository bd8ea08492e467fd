import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BerthError } from '../errors.js';
import { gitErrorLine, redactUrl, runGit } from './git-cli.js';

/** One commit as history and status show it. */
export interface GitCommit {
  /** Full object id. */
  sha: string;
  /** `Name <email>`. */
  author: string;
  subject: string;
  /** Commit time, Unix ms. */
  time: number;
}

/**
 * The repository URL as git should be given it: a local path becomes a `file://` URL, so a
 * shallow fetch really is shallow (git ignores `--depth` for plain local paths).
 */
export function normaliseRepoUrl(url: string, cwd: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url) || /^[^/]+@[^/]+:/.test(url)) return url;
  return pathToFileURL(isAbsolute(url) ? url : resolve(cwd, url)).href;
}

/** True for a repository on this machine (`file://` or a path), whose refs can be watched. */
export function isLocalRepo(url: string): boolean {
  return url.startsWith('file://');
}

/**
 * berth's own bare copy of a watched repository, under the state directory: `ls-remote` to
 * see where the ref points (one cheap request), a shallow fetch only when it moved, and
 * exports of one commit's tree into a checkout folder that the manifest reader reads.
 * Every method throws a BerthError `E_SOURCE` with git's own last line (credentials
 * redacted) when git fails.
 */
export class GitMirror {
  /** The bare repository's folder. */
  readonly gitDir: string;
  /** Where commits are exported, one folder per commit. */
  readonly checkoutsDir: string;

  /**
   * The copy lives under `stateDir/git/<project>/<hash of url>`: each project has its own, so
   * two watches of one repository (a branch or a --path per environment) never share a
   * checkout, a fetched ref or a pruned folder (new-user trial F30).
   */
  constructor(
    readonly url: string,
    stateDir: string,
    project: string,
  ) {
    const id = createHash('sha256').update(url).digest('hex').slice(0, 16);
    const base = join(stateDir, 'git', project, id);
    this.gitDir = join(base, 'repo.git');
    this.checkoutsDir = join(base, 'checkouts');
  }

  /** Creates the bare repository when it is not there yet. Idempotent. */
  async ensure(): Promise<void> {
    if (await exists(join(this.gitDir, 'HEAD'))) return;
    await mkdir(this.gitDir, { recursive: true });
    await this.git(['init', '--quiet', '--bare', this.gitDir], 'cannot create a local copy');
  }

  /**
   * The commit `ref` points at on the remote right now, or undefined when the remote has no
   * such ref (deleted branch). `ref` is a branch, a tag, a full ref or `HEAD`.
   */
  async remoteHead(ref: string): Promise<string | undefined> {
    const candidates =
      ref === 'HEAD' || ref.startsWith('refs/') ? [ref] : [`refs/heads/${ref}`, `refs/tags/${ref}`];
    const result = await this.git(['ls-remote', this.url, ...candidates], 'cannot reach');
    const lines = result.stdout
      .split('\n')
      .map((l) => l.split('\t'))
      .filter((parts): parts is [string, string] => parts.length === 2);
    // An annotated tag lists the tag object and, with ^{}, the commit it points at.
    const peeled = lines.find(([, name]) => name.endsWith('^{}'));
    return (peeled ?? lines[0])?.[0];
  }

  /** Fetches `ref` shallowly (depth 1) and returns the commit it points at. */
  async fetch(ref: string): Promise<string> {
    await this.git(
      ['fetch', '--quiet', '--no-tags', '--depth', '1', this.url, `+${ref}:refs/berth/source`],
      'cannot fetch',
    );
    const sha = await this.git(['rev-parse', 'refs/berth/source^{commit}'], 'cannot read');
    return sha.stdout.trim();
  }

  /** The tree id of `path` in commit `sha` (`.` or '' for the root), or undefined when absent. */
  async treeId(sha: string, path: string): Promise<string | undefined> {
    const spec =
      path && path !== '.' ? `${sha}:${path.replace(/^\.\/|\/$/g, '')}` : `${sha}^{tree}`;
    const result = await runGit(['rev-parse', '--verify', '--quiet', spec], { cwd: this.gitDir });
    return result.code === 0 ? result.stdout.trim() : undefined;
  }

  /** Who made commit `sha`, when, and its subject line. */
  async commit(sha: string): Promise<GitCommit> {
    const result = await this.git(
      ['log', '-1', '--format=%H%x00%an <%ae>%x00%s%x00%ct', sha],
      'cannot read commit',
    );
    const [full = sha, author = '', subject = '', time = '0'] = result.stdout
      .replace(/\n$/, '')
      .split('\0');
    return { sha: full, author, subject, time: Number(time) * 1000 };
  }

  /**
   * Runs `git verify-commit` with `allowedSigners` (an SSH allowed-signers file) and returns
   * undefined when the signature is good and trusted, else why not, in git's words.
   */
  async verify(sha: string, allowedSigners: string): Promise<string | undefined> {
    const result = await runGit(
      [
        '-c',
        'gpg.format=ssh',
        '-c',
        `gpg.ssh.allowedSignersFile=${allowedSigners}`,
        'verify-commit',
        sha,
      ],
      { cwd: this.gitDir },
    );
    if (result.code === 0) return undefined;
    const text = `${result.stderr}`.trim();
    if (!text) return `commit ${sha.slice(0, 12)} is not signed`;
    return `commit ${sha.slice(0, 12)} is not signed by an allowed signer: ${gitErrorLine(result)}`;
  }

  /**
   * Writes the whole tree of commit `sha` into `checkouts/<sha>` (once; the folder is reused
   * later) and returns that folder. Older checkouts beyond the `keep` newest are removed:
   * they are berth's own copies, never a user's folder.
   */
  async export(sha: string, keep: string[] = []): Promise<string> {
    const into = join(this.checkoutsDir, sha);
    if (!(await exists(join(into, '.berth-complete')))) {
      await rm(into, { recursive: true, force: true });
      await mkdir(into, { recursive: true });
      await archiveInto(this.gitDir, sha, into);
      await mkdir(join(into, '.berth-complete'));
    }
    await this.prune([sha, ...keep]);
    return into;
  }

  private async prune(keep: string[]): Promise<void> {
    const names = await readdir(this.checkoutsDir).catch(() => [] as string[]);
    await Promise.all(
      names
        .filter((n) => !keep.includes(n))
        .map((n) => rm(join(this.checkoutsDir, n), { recursive: true, force: true })),
    );
  }

  private async git(args: string[], doing: string) {
    const result = await runGit(args, { cwd: this.gitDir });
    if (result.code !== 0) {
      throw new BerthError('E_SOURCE', `${doing} ${redactUrl(this.url)}: ${gitErrorLine(result)}`);
    }
    return result;
  }
}

/** `git archive SHA | tar -x -C into`, with either side's failure reported. */
function archiveInto(gitDir: string, sha: string, into: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const archive = spawn('git', ['archive', '--format=tar', sha], { cwd: gitDir });
    const tar = spawn('tar', ['-x', '-C', into]);
    let errors = '';
    archive.stderr.on('data', (d: Buffer) => (errors += d.toString()));
    tar.stderr.on('data', (d: Buffer) => (errors += d.toString()));
    archive.stdout.pipe(tar.stdin);
    let pending = 2;
    let failed = false;
    const done = (code: number | null) => {
      if (code !== 0) failed = true;
      if (--pending > 0) return;
      if (failed)
        reject(
          new BerthError('E_SOURCE', `cannot export commit ${sha.slice(0, 12)}: ${errors.trim()}`),
        );
      else resolvePromise();
    };
    archive.on('close', done);
    tar.on('close', done);
  });
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
