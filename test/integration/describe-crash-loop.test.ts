import { afterAll, describe, expect, it } from 'vitest';
import { scriptYaml } from '../support/manifests.js';
import { cliProject } from './cli-project-support.js';
import { berth } from './status-cli-support.js';
import { eventually } from './watch-support.js';

/**
 * F805 (new-user trial): `berth describe` of a crash-looping container said `Last exit code -`
 * where status and get said exit 3: the engine resets State.ExitCode to 0 for the short
 * running moment between restarts, and describe's inspect caught it. Once status has shown the
 * exit code, describe shows it every time, whenever it is asked.
 */

const p = cliProject('f805', scriptYaml('crash', 'exit 3', '  restartPolicy: Always\n'));
afterAll(() => p.cleanup());

const cli = (...args: string[]) =>
  berth(p.stateHome, p.work, ...args, '-f', p.dir, '-p', p.project);

describe('describe of a crash-looping container', () => {
  it('keeps its last exit code through the running moments between restarts', async () => {
    await cli('apply');
    const exitCode = async () => {
      const status = JSON.parse((await cli('status', '-o', 'json')).stdout) as {
        objects: { key: string; lastExitCode: number | null }[];
      };
      return status.objects.find((o) => o.key === 'Container/crash')?.lastExitCode;
    };
    expect(await eventually(async () => (await exitCode()) === 3, 30_000, 200)).toBe(true);
    // The engine restarts it every few hundred ms at first: ask as often as describe answers.
    // At least 10 s and 5 answers (a loaded CI answered 4 in 10 s), at most 60 s.
    const seen: string[] = [];
    const start = Date.now();
    while ((Date.now() - start < 10_000 || seen.length < 5) && Date.now() - start < 60_000) {
      const described = await cli('describe', 'Container/crash');
      expect(described.code, described.stderr).toBe(0);
      seen.push(/Observed: +(\S+)/.exec(described.stdout)?.[1] ?? '?');
      expect(described.stdout, `after ${seen.join(', ')}`).toMatch(/Last exit code: +3\n/);
    }
    expect(seen.length).toBeGreaterThanOrEqual(5);
  }, 150_000);
});
