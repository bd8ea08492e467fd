import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { sleeperYaml } from '../support/manifests.js';
import { cleanupProject, docker, TEST_IMAGE, uniqueProject } from '../support/docker.js';

/** apply's contract at its edges: exit codes, conflicts, prune, races, dependsOn. */

const state = mkdtempSync(join(tmpdir(), 'berth-state-'));
const env = { XDG_STATE_HOME: state };
afterAll(() => rmSync(state, { recursive: true, force: true }));

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'berth-edge-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const listOwned = (project: string) =>
  docker('ps', '-a', '--filter', `label=berth.project=${project}`, '--format', '{{.Names}}').then(
    (s) => s.split('\n').filter(Boolean).sort(),
  );

describe('apply at its edges', () => {
  const project = uniqueProject('edge');
  afterAll(async () => {
    await cleanupProject(project);
    await docker('rm', '-f', `${project}-squatter`).catch(() => undefined);
    await docker('network', 'rm', `${project}-net`).catch(() => undefined);
  });

  it('refuses invalid input with exit 1 and touches nothing', async () => {
    const dir = folder({
      'a.yaml': sleeperYaml('good'),
      'b.yaml':
        'apiVersion: berth/v1\nkind: Container\nmetadata: {name: Bad_Name}\nspec: {image: x}\n',
    });
    const result = await berth(['apply', '-f', dir, '-p', project], { env });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/b\.yaml:3:\d+: .*\[E_NAME\]/);
    expect(await listOwned(project)).toEqual([]);
  });

  it('an unreachable engine is one line naming the address, exit 4', async () => {
    const dir = folder({ 'a.yaml': sleeperYaml('one') });
    const result = await berth(
      ['apply', '-f', dir, '-p', project, '--engine', 'unix:///nonexistent/docker.sock'],
      { env },
    );
    expect(result.code).toBe(4);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('unix:///nonexistent/docker.sock');
  });

  it('a same-named object without berth labels is a conflict: reported, not adopted or removed', async () => {
    await docker('run', '-d', '--name', `${project}-squatter`, TEST_IMAGE, 'sleep', '3600');
    await docker('network', 'create', `${project}-net`);
    const dir = folder({
      'a.yaml':
        sleeperYaml('squatter') +
        '---\napiVersion: berth/v1\nkind: Network\nmetadata: {name: net}\n',
    });
    const plan = await berth(['plan', '-f', dir, '-p', project], { env });
    expect(plan.stdout).toMatch(/! Container\/squatter .*berth does not own/);
    expect(plan.stdout).toMatch(/! Network\/net .*berth does not own/);
    const result = await berth(['apply', '-f', dir, '-p', project], { env });
    expect(result.code).toBe(2);
    // F815: refused before any change, every blocked object named.
    expect(result.stderr).toMatch(/Container\/squatter: [^;]*berth does not own/);
    expect(result.stderr).toMatch(/Network\/net: [^;]*berth does not own/);
    expect(result.stderr).toContain('; nothing was changed');
    const labels = await docker('inspect', '-f', '{{json .Config.Labels}}', `${project}-squatter`);
    expect(labels).not.toContain('berth.project');
    expect(await docker('inspect', '-f', '{{.State.Status}}', `${project}-squatter`)).toBe(
      'running',
    );
    await docker('rm', '-f', `${project}-squatter`);
    await docker('network', 'rm', `${project}-net`);
  });

  it('prunes owned objects that are no longer declared only with --prune', async () => {
    const both = folder({ 'a.yaml': sleeperYaml('keep'), 'b.yaml': sleeperYaml('drop') });
    expect((await berth(['apply', '-f', both, '-p', project], { env })).code).toBe(0);
    // The same folder without b.yaml (objects another folder applied are pruned only with --force).
    rmSync(join(both, 'b.yaml'));
    const one = both;
    expect((await berth(['apply', '-f', one, '-p', project], { env })).code).toBe(0);
    expect(await listOwned(project)).toEqual([`${project}-drop`, `${project}-keep`]);
    const pruned = await berth(['apply', '-f', one, '-p', project, '--prune'], { env });
    expect(pruned.code).toBe(0);
    expect(await listOwned(project)).toEqual([`${project}-keep`]);
  });

  it('dependsOn completed waits for a one-shot container to finish with code 0', async () => {
    const dir = folder({
      'a.yaml': `apiVersion: berth/v1
kind: Container
metadata: {name: migrate}
spec:
  image: ${TEST_IMAGE}
  restartPolicy: OnFailure
  command: [/bin/sh, -c, "sleep 1; echo migrated > /tmp/done"]
---
${sleeperYaml('app', '  dependsOn: [{container: migrate, condition: completed}]')}`,
    });
    const result = await berth(['apply', '-f', dir, '-p', project], { env });
    expect(result.code).toBe(0);
    const finished = await docker('inspect', '-f', '{{.State.FinishedAt}}', `${project}-migrate`);
    const started = await docker('inspect', '-f', '{{.State.StartedAt}}', `${project}-app`);
    expect(Date.parse(started)).toBeGreaterThanOrEqual(Date.parse(finished));
    expect(await docker('inspect', '-f', '{{.State.ExitCode}}', `${project}-migrate`)).toBe('0');
    // OnFailure keeps a container that completed exited: a second apply leaves it so.
    const again = await berth(['plan', '-f', dir, '-p', project, '--exit-code'], { env });
    expect(again.code).toBe(0);
  });

  it('a container that cannot start fails the apply with exit 2 and the engine’s reason', async () => {
    // Without init the engine itself fails the start: the binary is missing from the image.
    const dir = folder({
      'a.yaml': sleeperYaml('broken')
        .replace('[sleep, "3600"]', '[/no/such/binary]')
        .replace('  init: true\n', ''),
    });
    const result = await berth(['apply', '-f', dir, '-p', project, '--timeout', '30s'], { env });
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/Container\/broken: failed: .*no\/such\/binary/);
  });
});

describe('two applies of one project at once', () => {
  const project = uniqueProject('race');
  afterAll(() => cleanupProject(project));

  it('create no duplicates and both converge', async () => {
    const dir = folder(
      Object.fromEntries(['a', 'b', 'c', 'd'].map((n) => [`${n}.yaml`, sleeperYaml(n)])),
    );
    const [one, two] = await Promise.all([
      // One writer at a time: the second waits for the project's lock, then finds it converged.
      berth(['apply', '-f', dir, '-p', project, '--lock-timeout', '90s'], { env }),
      berth(['apply', '-f', dir, '-p', project, '--lock-timeout', '90s'], { env }),
    ]);
    expect([one.code, two.code]).toEqual([0, 0]);
    expect(await listOwned(project)).toEqual(['a', 'b', 'c', 'd'].map((n) => `${project}-${n}`));
    const states = await docker(
      'ps',
      '--filter',
      `label=berth.project=${project}`,
      '--format',
      '{{.State}}',
    );
    expect(states.split('\n')).toEqual(['running', 'running', 'running', 'running']);
  });
});
