import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { cleanupProject, docker, uniqueProject } from '../support/docker.js';
import { scriptYaml } from '../support/manifests.js';

/**
 * F118: a container declared `networkMode: container:app` is left in a namespace that is
 * gone when app is replaced (only `lo` inside, status in sync). It is made again with app,
 * in the same apply, and a later apply finds nothing to do.
 */
const project = uniqueProject('join');
const dir = mkdtempSync(join(tmpdir(), 'berth-join-'));
const stateDir = mkdtempSync(join(tmpdir(), 'berth-join-state-'));
const env = { XDG_STATE_HOME: stateDir };
const run = (...args: string[]) => berth([...args, '-f', dir, '-p', project], { env });
const SLEEP = "trap 'exit 0' TERM; sleep 3600 & wait";
const write = (mode: string) =>
  writeFileSync(
    join(dir, 'app.yaml'),
    [
      scriptYaml('app', SLEEP, `  env: {MODE: ${mode}}\n`),
      scriptYaml('side', SLEEP, '  networkMode: container:app\n'),
    ].join('---\n'),
  );
/** The joined container's network interfaces other than `lo` (eth0, or eth1 after an update). */
const interfaces = async () =>
  (await docker('exec', `${project}-side`, 'ls', '/sys/class/net'))
    .split(/\s+/)
    .filter((i) => i && i !== 'lo');

afterAll(async () => {
  await cleanupProject(project);
  rmSync(dir, { recursive: true, force: true });
  rmSync(stateDir, { recursive: true, force: true });
});

describe('networkMode container:NAME when NAME is replaced (F118)', () => {
  it('makes the joined container again with it, so it keeps the network', async () => {
    write('one');
    expect((await run('apply')).code).toBe(0);
    expect(await interfaces()).not.toEqual([]);
    const sideBefore = await docker('inspect', '-f', '{{.Id}}', `${project}-side`);
    write('two');
    const plan = await run('plan');
    expect(plan.stdout).toMatch(/Container\/side.*the container it joins \(app\) is replaced/);
    const applied = await run('apply');
    expect(applied.code, applied.stderr).toBe(0);
    expect(await docker('inspect', '-f', '{{.Id}}', `${project}-side`)).not.toBe(sideBefore);
    expect(await interfaces()).not.toEqual([]);
    const again = await run('plan', '--exit-code');
    expect(again.code, again.stdout).toBe(0);
  });
});
