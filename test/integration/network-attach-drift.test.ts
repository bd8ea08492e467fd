import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { scriptYaml } from '../support/manifests.js';
import { cleanupProject, docker, uniqueProject } from '../support/docker.js';

/**
 * F124: a container connected by hand to one of the project's own networks it does not
 * declare is out of sync and disconnected by apply, as a hand disconnect is repaired; a
 * network berth does not own is someone else's and stays.
 */

const project = uniqueProject('attach');
const foreign = `${project.replace(/-/g, '')}foreign`;
const state = mkdtempSync(join(tmpdir(), 'berth-attach-state-'));
const dir = mkdtempSync(join(tmpdir(), 'berth-attach-'));
const env = { XDG_STATE_HOME: state };
const run = (...args: string[]) => berth([...args, '-p', project], { env });
const networksOf = async (name: string) =>
  (
    await docker(
      'inspect',
      '-f',
      '{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}',
      name,
    )
  )
    .split(' ')
    .filter(Boolean)
    .sort();

afterAll(async () => {
  await cleanupProject(project);
  await docker('network', 'rm', foreign).catch(() => undefined);
  rmSync(state, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
});

describe('networks attached by hand', () => {
  it('disconnects an undeclared project network, leaves a foreign one, and plans nothing after', async () => {
    writeFileSync(
      join(dir, 'set.yaml'),
      [
        'apiVersion: berth/v1\nkind: Network\nmetadata: {name: net}\n',
        'apiVersion: berth/v1\nkind: Network\nmetadata: {name: spare}\nspec: {internal: true}\n',
        scriptYaml('extra', "trap 'exit 0' TERM; sleep 3600 & wait", '  networks: [net]\n'),
      ].join('---\n'),
    );
    const first = await run('apply', '-f', dir);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    const extra = `${project}-extra`;
    await docker('network', 'create', foreign);
    await docker('network', 'connect', `${project}-spare`, extra);
    await docker('network', 'connect', foreign, extra);
    expect(await networksOf(extra)).toEqual([foreign, `${project}-net`, `${project}-spare`].sort());

    const plan = await run('plan', '-f', dir, '--exit-code');
    expect(plan.code, plan.stdout + plan.stderr).toBe(2);
    expect(plan.stdout).toMatch(/disconnect.*spare|attached to undeclared network spare/);
    expect(plan.stdout).not.toContain(foreign);
    const status = await run('status', '-o', 'json');
    expect(status.code).toBe(3);
    expect(status.stdout).toMatch(/attached to undeclared network spare/);

    const repaired = await run('apply', '-f', dir);
    expect(repaired.code, repaired.stdout + repaired.stderr).toBe(0);
    expect(await networksOf(extra)).toEqual([foreign, `${project}-net`].sort());
    const again = await run('plan', '-f', dir, '--exit-code');
    expect(again.code, again.stdout).toBe(0);
    await docker('network', 'disconnect', foreign, extra);
  });
});
