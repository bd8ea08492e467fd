import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { cleanupProject, docker, TEST_IMAGE, uniqueProject } from '../support/docker.js';

/**
 * berth knows its containers by their labels, not their engine names (DESIGN.md "Identity
 * and ownership"). Containers renamed outside berth — two of them onto each other's names,
 * or one onto the name of a removed one — are berth's: status says so, and apply gives each
 * its own name back; nothing without berth's labels is touched.
 */

const project = uniqueProject('xrename');
const foreign = `${project}-foreign`;
const work = mkdtempSync(join(tmpdir(), 'berth-xrename-'));
const env = { XDG_STATE_HOME: join(work, 'state') };
const run = (...args: string[]) => berth([...args, '-f', work, '-p', project], { env });

const container = (name: string) => `apiVersion: berth/v1
kind: Container
metadata: {name: ${name}}
spec:
  image: ${TEST_IMAGE}
  env: {NAME: ${name}}
  command: [sh, -c]
  args: ["trap 'exit 0' TERM; sleep 3600 & wait"]`;

/** Engine name → `berth.name` label and id of each container of the project. */
async function names(): Promise<Record<string, string>> {
  const rows = await docker(
    'ps',
    '-a',
    '--filter',
    `label=berth.project=${project}`,
    '--format',
    '{{.Names}} {{.Label "berth.name"}}',
  );
  return Object.fromEntries(
    rows
      .split('\n')
      .filter(Boolean)
      .map((r) => r.split(' ')),
  );
}

/** The REASON status gives an object, from `status -o json`. */
function reasonOf(json: string, key: string): string | undefined {
  const status = JSON.parse(json) as { objects: { key: string; reason?: string }[] };
  return status.objects.find((o) => o.key === key)?.reason;
}

const idOf = (name: string) => docker('inspect', '-f', '{{.Id}}', name);

beforeAll(async () => {
  writeFileSync(join(work, 'app.yaml'), [container('a'), container('b')].join('\n---\n'));
  const applied = await run('apply');
  expect(applied.code, applied.stderr).toBe(0);
  // A container berth does not own, in the project's name space.
  await docker('create', '--name', foreign, TEST_IMAGE, 'true');
});

afterAll(async () => {
  await docker('rm', '-f', foreign).catch(() => undefined);
  await cleanupProject(project);
  rmSync(work, { recursive: true, force: true });
});

describe('containers renamed outside berth', () => {
  it('two cross-renamed onto each other’s names: status and plan say what apply does, apply swaps them back', async () => {
    const [a, b] = [await idOf(`${project}-a`), await idOf(`${project}-b`)];
    await docker('rename', `${project}-a`, `${project}-tmp`);
    await docker('rename', `${project}-b`, `${project}-a`);
    await docker('rename', `${project}-tmp`, `${project}-b`);

    const status = await run('status', '-o', 'json');
    expect(status.code, status.stdout).toBe(3);
    expect(reasonOf(status.stdout, 'Container/a')).toBe(
      `found under engine name ${project}-b (renamed outside berth)`,
    );
    expect(status.stdout).not.toMatch(/does not own/);
    const plan = await run('plan');
    expect(plan.stdout).toMatch(new RegExp(`~ Container/a +rename ${project}-a `));
    expect(plan.stdout).toMatch(new RegExp(`~ Container/b +rename ${project}-b-`));

    const applied = await run('apply');
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    expect(await names()).toEqual({ [`${project}-a`]: 'a', [`${project}-b`]: 'b' });
    // Renamed, not recreated: the same containers under their own names.
    expect([await idOf(`${project}-a`), await idOf(`${project}-b`)]).toEqual([a, b]);
    expect((await run('status')).code).toBe(0);
    expect(await idOf(foreign)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('one renamed onto the name of a removed one is not called foreign, and both converge', async () => {
    await docker('rm', '-f', `${project}-a`);
    await docker('rename', `${project}-b`, `${project}-a`);
    const status = await run('status', '-o', 'json');
    expect(status.stdout).not.toMatch(/does not own/);
    expect(reasonOf(status.stdout, 'Container/b')).toBe(
      `found under engine name ${project}-a (renamed outside berth)`,
    );

    const applied = await run('apply');
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    expect(await names()).toEqual({ [`${project}-a`]: 'a', [`${project}-b`]: 'b' });
    expect((await run('status')).code).toBe(0);
  });
});
