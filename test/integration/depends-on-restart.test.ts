import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { cleanupProject, docker, TEST_IMAGE, uniqueProject } from '../support/docker.js';

/**
 * `dependsOn: [{container: db, restart: true}]` (Compose's depends_on.restart) on the engine:
 * when apply replaces db, app is restarted after it — the same container, started again —
 * while a dependant without `restart` keeps running untouched.
 */

const dir = mkdtempSync(join(tmpdir(), 'berth-dep-restart-'));
const project = uniqueProject('deprestart');
const state = { XDG_STATE_HOME: join(dir, 'state') };
afterAll(async () => {
  await cleanupProject(project);
  rmSync(dir, { recursive: true, force: true });
});

const container = (name: string, extra: string) =>
  `apiVersion: berth/v1\nkind: Container\nmetadata: {name: ${name}}\nspec:\n  image: ${TEST_IMAGE}\n` +
  `  init: true\n  args: [sleep, "3600"]\n  update: {minReady: 1s}\n${extra}`;
const write = (mode: string) =>
  writeFileSync(
    join(dir, 'set.yaml'),
    [
      container('db', `  env: {MODE: ${mode}}\n`),
      container('app', '  dependsOn: [{container: db, restart: true}]\n'),
      container('other', '  dependsOn: [{container: db}]\n'),
    ].join('---\n'),
  );

const started = async (name: string) => {
  const [id, at] = (
    await docker('inspect', '-f', '{{.Id}} {{.State.StartedAt}}', `${project}-${name}`)
  )
    .trim()
    .split(' ');
  return { id, at };
};

describe('dependsOn restart: true on the engine', () => {
  it('restarts the dependant after apply replaces its dependency, and only that one', async () => {
    write('a');
    const first = await berth(['apply', '-f', dir, '-p', project], { env: state });
    expect(first.code, first.stderr).toBe(0);
    const [db, app, other] = await Promise.all(['db', 'app', 'other'].map(started));
    write('b');
    const plan = await berth(['plan', '-f', dir, '-p', project], { env: state });
    expect(plan.stdout).toMatch(
      /~ Container\/app +stop +db replaced \(dependsOn restart: true\): restart after it\n~ Container\/app +start /,
    );
    const second = await berth(['apply', '-f', dir, '-p', project], { env: state });
    expect(second.code, second.stderr).toBe(0);
    expect((await started('db')).id).not.toBe(db?.id);
    const appAfter = await started('app');
    expect(appAfter.id).toBe(app?.id);
    expect(appAfter.at).not.toBe(app?.at);
    expect(await started('other')).toEqual(other);
  });
});
