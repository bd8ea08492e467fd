import { afterAll, describe, expect } from 'vitest';
import { itExceptOn } from '../support/engine-skip.js';
import { sleeperYaml } from '../support/manifests.js';
import { cliProject } from './cli-project-support.js';
import { berth } from './status-cli-support.js';

/** Issue 11: a healthcheck's exec_* events are collapsed in describe, not 20 lines of them. */

const { work, stateHome, project, dir, cleanup } = cliProject(
  'dexec',
  sleeperYaml('probed', '  healthcheck: {command: [CMD, "true"], interval: 1s, retries: 3}\n'),
);

afterAll(cleanup);

describe('describe events', () => {
  itExceptOn(
    'podman',
    'Podman without systemd never runs a healthcheck on its own (berth runs a due one only while it watches), and reports a check as exec_died alone: no run of exec_* events to collapse (ENGINE-NOTES, "Podman")',
  )('collapses exec_* events into one line per action with a count', async () => {
    expect((await berth(stateHome, work, 'apply', '-f', dir, '-p', project)).code).toBe(0);
    await new Promise((r) => setTimeout(r, 6_000));
    const out = await berth(stateHome, work, 'describe', 'container/probed', '-p', project);
    expect(out.code, out.stderr).toBe(0);
    const execLines = out.stdout.split('\n').filter((l) => /exec_/.test(l));
    expect(out.stdout).toMatch(/exec_start ×\d+/);
    // One line per action for each run of probes (a health_status event splits the runs).
    expect(execLines.length, out.stdout).toBeLessThanOrEqual(6);
    // The container's own events are still there.
    expect(out.stdout).toMatch(/engine +start /);
  });
});
