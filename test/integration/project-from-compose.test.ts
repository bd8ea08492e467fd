import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import {
  TEST_IMAGE,
  cleanupProject,
  projectContainerNames,
  uniqueProject,
} from '../support/docker.js';

/**
 * F84: after `berth import -o berth && berth apply -f berth` in a Compose folder whose
 * compose.yaml has a top-level `name:`, commands run there without -p take that name, as
 * docker compose does; `down` there found nothing and exited 0 while the app ran.
 */
const root = mkdtempSync(join(tmpdir(), 'berth-f84-'));
const projects: string[] = [];
afterAll(async () => {
  for (const p of projects) await cleanupProject(p);
  rmSync(root, { recursive: true, force: true });
});

function composeFolder(name: string, compose: string): string {
  const dir = join(root, name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'compose.yaml'), compose);
  return dir;
}

const service = `services:\n  collector:\n    image: ${TEST_IMAGE}\n    command: sleep 3600\n`;
const noProjectVar = { COMPOSE_PROJECT_NAME: undefined, COMPOSE_FILE: undefined };

describe('commands in a Compose folder use its name: (F84)', () => {
  it('status and down from the Compose folder find what apply -f berth ran', async () => {
    const project = uniqueProject('f84');
    projects.push(project);
    const cwd = composeFolder('mon', `name: ${project}\n${service}`);
    const run = (args: string[]) => berth(args, { cwd, env: noProjectVar });
    const imported = await run(['import', '-o', 'berth']);
    expect(imported.code, imported.stderr).toBe(0);
    const applied = await run(['apply', '-f', 'berth']);
    expect(applied.stdout).toContain(`Project ${project}: converged`);
    const status = await run(['status']);
    expect(status.stdout).toMatch(new RegExp(`^Project: +${project}$`, 'm'));
    expect(status.stdout).not.toContain('no apply recorded');
    const logs = await run(['logs', 'collector']);
    expect(logs.code, logs.stderr).toBe(0);
    expect(await projectContainerNames(project)).toEqual([`${project}-collector`]);
    const down = await run(['down']);
    expect(down.stdout).not.toContain('nothing to delete');
    expect(down.code, down.stderr + down.stdout).toBe(0);
    expect(await projectContainerNames(project)).toEqual([]);
  });

  it('down with nothing applied names the project a folder below this one applied', async () => {
    const project = uniqueProject('f84p');
    projects.push(project);
    const cwd = composeFolder('shop', service);
    const run = (args: string[]) => berth(args, { cwd, env: noProjectVar });
    expect((await run(['import', '-o', 'berth', '-p', project])).code).toBe(0);
    expect((await run(['apply', '-f', 'berth'])).code).toBe(0);
    const down = await run(['down']);
    expect(down.stdout).toContain('Project shop: nothing applied, nothing to delete');
    expect(down.stdout).toContain(
      `hint: project ${project} was applied from ./berth; berth down -p ${project} deletes it`,
    );
    expect(down.code).toBe(0);
    expect(await projectContainerNames(project)).toEqual([`${project}-collector`]);
  });
});
