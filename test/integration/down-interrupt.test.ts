import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { docker } from '../support/docker.js';
import { recordEvents } from '../support/engine-events.js';
import { scriptYaml, sleeperYaml } from '../support/manifests.js';
import { cliProject, type CliProject } from './cli-project-support.js';
import { berth } from './status-cli-support.js';
import { eventually, killStrayBerths, spawnBerth, stateOf } from './watch-support.js';

/**
 * FINDINGS F250: `berth down` and `berth delete` installed no signal handling; Ctrl-C, SIGTERM
 * or SIGHUP killed them between engine calls with no summary and the writer lock left. Now
 * no object starts after the signal, the one under way (a slow stop) finishes, they say what
 * was deleted and what is left, release the lock and exit 128 + the signal; running the
 * same command again deletes the rest.
 */

// `svc` ignores SIGTERM, so its stop takes the whole 6 s grace; it depends on `base`, which
// is deleted only after it (deletion in reverse order).
const manifest = [
  scriptYaml(
    'svc',
    "trap '' TERM; while true; do sleep 1; done",
    '  stopGracePeriod: 6s\n  dependsOn: [{container: base}]\n',
  ),
  sleeperYaml('base'),
].join('---\n');

const projects: CliProject[] = [];
afterAll(async () => {
  await killStrayBerths();
  for (const p of projects) await p.cleanup();
});

describe('a signal during down or delete', () => {
  for (const [verb, signal, code] of [
    ['down', 'SIGTERM', 143],
    ['delete', 'SIGINT', 130],
    ['down', 'SIGHUP', 129],
  ] as const) {
    it(`${verb}, ${signal}: the stop under way finishes, nothing else starts, exit ${code}; ${verb} again finishes`, async () => {
      const p = cliProject('downsig', manifest);
      projects.push(p);
      const { work, stateHome, project, dir } = p;
      const applied = await berth(stateHome, work, 'apply', '-f', dir, '-p', project);
      expect(applied.code, applied.stdout + applied.stderr).toBe(0);
      const svcId = await docker('inspect', '-f', '{{.Id}}', `${project}-svc`);

      const args = verb === 'down' ? ['down', '-p', project] : ['delete', '-f', dir, '-p', project];
      let killed = false;
      const events = recordEvents(
        project,
        (e) => (killed ||= e.action === 'kill' && e.id === svcId),
      );
      await events.ready;
      const run = spawnBerth(args, { XDG_STATE_HOME: stateHome });
      const stopping = await eventually(() => Promise.resolve(killed), 60_000);
      await events.stop();
      expect(stopping, run.stderr()).toBe(true);
      await new Promise((r) => setTimeout(r, 500));
      const signalled = Date.now();
      run.child.kill(signal);
      expect(await run.exited, run.stdout() + run.stderr()).toBe(code);
      // The stop under way ran out its grace (6 s), then the container went; not more.
      expect(Date.now() - signalled).toBeLessThan(15_000);

      const label = signal === 'SIGINT' ? 'Ctrl-C' : signal;
      const out = run.stdout();
      expect(out).toContain(`interrupted: 1 of 3 objects deleted before ${label}\n`);
      expect(out).toContain('  deleted: Container/svc\n');
      expect(out).toContain('  not deleted: Container/base, Network/default\n');
      expect(out).toContain(`; berth ${args.join(' ')} deletes what is left\n`);
      expect(await stateOf(`${project}-svc`)).toBe('absent');
      expect(await stateOf(`${project}-base`)).toBe('running');
      expect(existsSync(join(stateHome, 'berth', project, 'writer.lock'))).toBe(false);

      const again = await berth(stateHome, work, ...args);
      expect(again.code, again.stdout + again.stderr).toBe(0);
      expect(again.stdout).toContain(`Project ${project}: 2 deleted\n`);
      expect(await stateOf(`${project}-base`)).toBe('absent');
    }, 120_000);
  }
});
