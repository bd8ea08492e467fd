import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A throw-away git work tree for tests, with a fixed identity and no global config. */
export class TestRepo {
  readonly dir: string;

  constructor(dir?: string) {
    this.dir = dir ?? mkdtempSync(join(tmpdir(), 'berth-git-'));
    this.git('init', '--quiet', '--initial-branch=main');
  }

  /** Runs git in the repository and returns stdout. */
  git(...args: string[]): string {
    return execFileSync('git', args, {
      cwd: this.dir,
      encoding: 'utf8',
      env: {
        ...process.env,
        GIT_CONFIG_GLOBAL: '/dev/null',
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_AUTHOR_NAME: 'Ada Tester',
        GIT_AUTHOR_EMAIL: 'ada@example.test',
        GIT_COMMITTER_NAME: 'Ada Tester',
        GIT_COMMITTER_EMAIL: 'ada@example.test',
      },
    });
  }

  /** Writes files (path → content) and commits them; returns the new commit's sha. */
  commit(subject: string, files: Record<string, string>, extra: string[] = []): string {
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(dirname(join(this.dir, path)), { recursive: true });
      writeFileSync(join(this.dir, path), content);
    }
    this.git('add', '-A');
    this.git('commit', '--quiet', '--allow-empty', ...extra, '-m', subject);
    return this.git('rev-parse', 'HEAD').trim();
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
