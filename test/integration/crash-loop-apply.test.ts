import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect } from 'vitest';
import { berth } from '../support/cli.js';
import { cleanupProject, crashLooping, uniqueProject } from '../support/docker.js';
import { itExceptOn } from '../support/engine-skip.js';
import { scriptYaml } from '../support/manifests.js';

// F341: the exit code of apply for a container that crash-loops right after its start was
// decided by the moment of the first look (0 `converged` between two crashes, 2 while the
// engine restarted it), and a later apply that did not touch it failed on it after 36 s.
// One state, one answer: 2, `CrashLoopBackOff`, every time and in seconds.
describe('apply of a container that crash-loops at once', () => {
  const project = uniqueProject('cla');
  const dir = mkdtempSync(join(tmpdir(), 'berth-cla-'));
  const stateDir = mkdtempSync(join(tmpdir(), 'berth-cla-state-'));
  const env = { XDG_STATE_HOME: stateDir };
  const run = (args: string[]) => berth([...args, '-p', project], { cwd: dir, env });
  writeFileSync(join(dir, 'j.yaml'), scriptYaml('j', 'echo x; exit 3'));

  afterAll(async () => {
    await cleanupProject(project);
    rmSync(dir, { recursive: true, force: true });
    rmSync(stateDir, { recursive: true, force: true });
  });

  itExceptOn(
    'podman',
    'Podman 4.3 restarts a crashing container at once and never reports it `restarting` (ENGINE-NOTES, F43)',
  )(
    'fails every time, and an apply that does not touch it reports it in seconds',
    async () => {
      for (let i = 0; i < 5; i++) {
        const apply = await run(['apply', '--log-level', 'warn']);
        expect(apply.code, `run ${i}: ${apply.stdout}${apply.stderr}`).toBe(2);
        expect(apply.stdout + apply.stderr).toMatch(
          /CrashLoopBackOff: exited right after its start/,
        );
        const down = await run(['down']);
        expect(down.code, down.stderr).toBe(0);
      }
      await run(['apply', '--log-level', 'warn']);
      for (let i = 0; i < 3; i++) {
        // The back-off already long (4 restarts), the apply's list a moment later still sees it
        // restarting; a list that catches a run's few ms up still finds it in sync (F420, open).
        await crashLooping(`${project}-j`, 4, 60_000);
        const started = Date.now();
        const again = await run(['apply', '--log-level', 'warn']);
        expect(again.code, `untouched ${i}: ${again.stdout}${again.stderr}`).toBe(2);
        expect(again.stdout + again.stderr).toMatch(/CrashLoopBackOff: .*did not change it/);
        // The engine's back-off grows to a minute; 32 checks took 36 s (F341).
        expect(Date.now() - started).toBeLessThan(25_000);
      }
    },
    240_000,
  );
});
