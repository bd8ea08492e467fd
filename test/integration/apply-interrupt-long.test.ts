import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { docker, TEST_IMAGE } from '../support/docker.js';
import { scriptYaml } from '../support/manifests.js';
import { cliProject, type CliProject } from './cli-project-support.js';
import { berth } from './status-cli-support.js';
import { eventually, killStrayBerths, spawnBerth, stateOf } from './watch-support.js';

/**
 * FINDINGS F194: Ctrl-C during a long step printed nothing until the step ended (a build
 * looked hung), and a second Ctrl-C exited with no record, leaving objects `down` would not
 * remove. Now the first Ctrl-C says at once what berth waits for and cancels a build under
 * way; a second one records the apply as `interrupted` (so `down` removes what it made),
 * lets go of the lock and exits.
 */

const projects: CliProject[] = [];
afterAll(async () => {
  await killStrayBerths();
  for (const p of projects) {
    await docker('rmi', '-f', `localhost/${p.project}-slow:1`).catch(() => '');
    await p.cleanup();
  }
});

const history = async (p: CliProject) =>
  (
    JSON.parse(
      (await berth(p.stateHome, p.work, 'history', '-p', p.project, '-o', 'json')).stdout,
    ) as { outcome: string }[]
  ).map((i) => i.outcome);

describe('Ctrl-C during a long step of apply', () => {
  it('during a build: says at once it waits for the build, cancels it, records, exits 130', async () => {
    const p = cliProject('intbuild', '');
    projects.push(p);
    const ref = `localhost/${p.project}-slow:1`;
    writeFileSync(
      join(p.dir, 'app.yaml'),
      `apiVersion: berth/v1
kind: Image
metadata: {name: slow}
spec: {ref: "${ref}", build: {context: ./slow}}
---
${scriptYaml('c', 'sleep 600', '  image: slow\n').replace(`  image: ${TEST_IMAGE}\n`, '')}`,
    );
    mkdirSync(join(p.dir, 'slow'));
    writeFileSync(
      join(p.dir, 'slow', 'Dockerfile'),
      // The project's name keeps the engine's build cache from answering at once.
      `FROM ${TEST_IMAGE}\nRUN echo ${p.project}; sleep 40\n`,
    );
    const run = spawnBerth(['apply', '-f', p.dir, '-p', p.project], {
      XDG_STATE_HOME: p.stateHome,
    });
    // The build is sent; a moment later it runs its slow step.
    const building = await eventually(
      () => Promise.resolve(run.stderr().includes('"op":"build"')),
      60_000,
    );
    expect(building, run.stderr()).toBe(true);
    await new Promise((r) => setTimeout(r, 3_000));
    const signalled = Date.now();
    run.child.kill('SIGINT');
    const said = await eventually(
      () => Promise.resolve(run.stderr().includes('interrupt (Ctrl-C): waiting for')),
      5_000,
      20,
    );
    expect(said, run.stderr()).toBe(true);
    expect(run.stderr()).toContain(
      'interrupt (Ctrl-C): waiting for the build of Image/slow to stop… press Ctrl-C again to abort\n',
    );
    expect(await run.exited, run.stdout() + run.stderr()).toBe(130);
    // Cancelled: not the 40 s the build's step would take.
    expect(Date.now() - signalled).toBeLessThan(15_000);
    expect(run.stdout()).toMatch(/^ {2}begun, not finished: Image\/slow \(build\)$/m);
    expect(await docker('image', 'inspect', ref).catch(() => 'absent')).toBe('absent');
    expect(await stateOf(`${p.project}-c`)).toBe('absent');
    expect(await history(p)).toEqual(['interrupted']);
  }, 120_000);

  it('a second Ctrl-C while a stop runs: records what exists, exits at once; down removes it', async () => {
    // Declared exited: apply creates, starts and stops it, and the stop takes its 20 s grace.
    const p = cliProject(
      'intsecond',
      scriptYaml(
        'svc',
        "trap '' TERM; while true; do sleep 1; done",
        '  state: exited\n  stopGracePeriod: 20s\n',
      ),
    );
    projects.push(p);
    const run = spawnBerth(['apply', '-f', p.dir, '-p', p.project], {
      XDG_STATE_HOME: p.stateHome,
    });
    const stopping = await eventually(
      () => Promise.resolve(/"op":"stop"|svc\s+stop/.test(run.stderr())),
      60_000,
    );
    expect(stopping, run.stderr()).toBe(true);
    run.child.kill('SIGINT');
    const said = await eventually(
      () => Promise.resolve(run.stderr().includes('interrupt (Ctrl-C): waiting for')),
      5_000,
      20,
    );
    expect(said, run.stderr()).toBe(true);
    expect(run.stderr()).toContain(
      'waiting for Container/svc (stop) to finish… press Ctrl-C again',
    );
    const second = Date.now();
    run.child.kill('SIGINT');
    expect(await run.exited, run.stdout() + run.stderr()).toBe(130);
    // Within ABANDON_MS (5 s) and the exit, under a loaded engine too.
    expect(Date.now() - second).toBeLessThan(8_000);
    expect(run.stdout()).toMatch(/^interrupted: 1 of 2 objects done before Ctrl-C$/m);
    expect(run.stdout()).toContain('  abandoned under way: Container/svc (create, start, stop)\n');
    expect(await history(p)).toEqual(['interrupted']);
    expect(existsSync(join(p.stateHome, 'berth', p.project, 'writer.lock'))).toBe(false);

    // What the abandoned apply made is recorded: down removes it all.
    const down = await berth(p.stateHome, p.work, 'down', '-p', p.project);
    expect(down.code, down.stdout + down.stderr).toBe(0);
    expect(down.stdout).toContain(`Project ${p.project}: 2 deleted\n`);
    expect(await stateOf(`${p.project}-svc`)).toBe('absent');
    const networks = await docker('network', 'ls', '-q', '--filter', `name=^${p.project}-default$`);
    expect(networks).toBe('');
  }, 120_000);
});
