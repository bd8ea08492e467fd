import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ObjectStatus, ProjectStatus } from '../../controller/status/status-types.js';
import { berth } from '../support/cli.js';
import { cleanupProject, TEST_IMAGE, uniqueProject } from '../support/docker.js';

/**
 * A run-to-completion container (a migration, a seed: Compose's `restart: "no"` service that
 * others wait for with `service_completed_successfully`) that exited 0 is done, not failing:
 * apply and `apply --wait` converge, status exits 0 and says completed. A job that failed
 * under `restartPolicy: Never` still makes status exit 3. (A new-user trial found every
 * imported app with a migrate job stuck at status exit 3.)
 */

const state = mkdtempSync(join(tmpdir(), 'berth-job-state-'));
const env = { XDG_STATE_HOME: state };
const projects: string[] = [];
const dirs: string[] = [];
afterAll(async () => {
  for (const p of projects) await cleanupProject(p);
  for (const d of [state, ...dirs]) rmSync(d, { recursive: true, force: true });
});

function folder(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'berth-job-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'set.yaml'), yaml);
  return dir;
}

function job(name: string, policy: string, code: number): string {
  return `apiVersion: berth/v1
kind: Container
metadata: {name: ${name}}
spec:
  image: ${TEST_IMAGE}
  command: [sh, -c, "echo done; exit ${code}"]
  restartPolicy: ${policy}
`;
}

const web = `apiVersion: berth/v1
kind: Container
metadata: {name: web}
spec:
  image: ${TEST_IMAGE}
  init: true
  command: [sleep, "3600"]
  dependsOn: [{container: migrate, condition: completed}]
`;

async function statusOf(project: string): Promise<{ code: number; status: ProjectStatus }> {
  const r = await berth(['status', '-p', project, '-o', 'json'], { env });
  return { code: r.code, status: JSON.parse(r.stdout) as ProjectStatus };
}

const objectOf = (s: ProjectStatus, key: string) =>
  s.objects.find((o) => o.key === key) as ObjectStatus;

describe('a container that ran to completion', () => {
  it.each(['Never', 'OnFailure'])(
    'under restartPolicy %s: apply --wait converges, status exits 0 and says completed',
    async (policy) => {
      const project = uniqueProject('job');
      projects.push(project);
      const dir = folder(`${job('migrate', policy, 0)}---\n${web}`);
      const applied = await berth(
        ['apply', '-p', project, '-f', dir, '--wait', '--timeout', '60s'],
        { env },
      );
      expect(applied.code, applied.stdout + applied.stderr).toBe(0);

      const { code, status } = await statusOf(project);
      const migrate = objectOf(status, 'Container/migrate');
      expect(migrate.observed).toBe('exited');
      expect(migrate.lastExitCode).toBe(0);
      expect(migrate.inSync).toBe(true);
      expect(migrate.reason).toMatch(/completed \(exit code 0\)/);
      expect(migrate.conditions.find((c) => c.type === 'Ready')?.reason).toBe('Completed');
      expect(objectOf(status, 'Container/web').ready).toBe(true);
      expect(code, JSON.stringify(status.objects.map((o) => [o.key, o.reason]))).toBe(0);

      // A second apply leaves the completed job alone (it is not run again).
      const again = await berth(['plan', '-p', project, '-f', dir], { env });
      expect(again.code, again.stdout).toBe(0);
    },
    120_000,
  );

  it('an apply that re-runs a job a running container waits for fails when the job fails (F163)', async () => {
    const project = uniqueProject('job');
    projects.push(project);
    const dir = folder(`${job('migrate', 'Never', 0)}---\n${web}`);
    const first = await berth(['apply', '-p', project, '-f', dir], { env });
    expect(first.code, first.stdout + first.stderr).toBe(0);
    // The job changes and fails; web (unchanged, running) waits for it with `completed`.
    // It runs a while, as a migration does: apply's own steps are over before it exits.
    const slow = job('migrate', 'Never', 5).replace('echo done', 'sleep 2; echo done');
    writeFileSync(join(dir, 'set.yaml'), `${slow}---\n${web}`);
    const failed = await berth(['apply', '-p', project, '-f', dir, '--timeout', '60s'], { env });
    expect(failed.code, failed.stdout + failed.stderr).toBe(2);
    // held, as when apply sees the exit itself: the same outcome whichever came first.
    expect(failed.stdout).toMatch(
      /Container\/migrate: held: exited with code 5; restartPolicy Never keeps it exited/,
    );
    expect(failed.stdout).toMatch(/Container\/web waits for it to complete/);
    expect(failed.stdout).toMatch(/failed to converge/);
    // One state, one result: the next apply says the same.
    const again = await berth(['apply', '-p', project, '-f', dir], { env });
    expect(again.code, again.stdout + again.stderr).toBe(2);
  }, 120_000);

  it('a job that failed under restartPolicy Never keeps status at exit 3', async () => {
    const project = uniqueProject('job');
    projects.push(project);
    const dir = folder(job('seed', 'Never', 3));
    await berth(['apply', '-p', project, '-f', dir], { env });
    // apply returns once the job started; look once it has ended.
    let seen = await statusOf(project);
    for (let i = 0; i < 60 && objectOf(seen.status, 'Container/seed').observed !== 'exited'; i++) {
      await new Promise((r) => setTimeout(r, 250));
      seen = await statusOf(project);
    }
    const { code, status } = seen;
    const seed = objectOf(status, 'Container/seed');
    expect(seed.observed).toBe('exited');
    expect(seed.lastExitCode).toBe(3);
    expect(seed.inSync).toBe(false);
    expect(code).toBe(3);
    // apply agrees with status: not converged, exit 2, and says how to start it (F23).
    const again = await berth(['apply', '-p', project, '-f', dir], { env });
    expect(again.code, again.stdout + again.stderr).toBe(2);
    expect(again.stdout).toMatch(/Container\/seed: held: exited \(exit code 3\)/);
    expect(again.stdout).toMatch(/failed to converge/);
    expect(again.stdout).toMatch(/berth restart NAME starts it again/);
  }, 120_000);
});
