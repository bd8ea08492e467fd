import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { uniqueProject } from '../support/docker.js';
import { sleeperYaml } from '../support/manifests.js';
import { PODMAN_START_TIMEOUT, startPodman, type PodmanService } from '../support/podman.js';

/**
 * The ownership invariant on a real Podman service (issue 17): Podman answers 500 where
 * Docker answers 409 for a taken name, which once sent a clash down the retry path, and
 * berth started and then force-removed a container it did not own. Now apply must stop
 * with "does not own" (exit 2, DESIGN: a conflict) and leave the foreign containers as
 * they were.
 */

let service: PodmanService;
const state = mkdtempSync(join(tmpdir(), 'berth-state-'));
const project = uniqueProject('pm-own');
const foreign = [`${project}-running`, `${project}-created`];

beforeAll(async () => {
  service = await startPodman();
}, PODMAN_START_TIMEOUT);
afterAll(async () => {
  await service?.podman('rm', '--force', '--time', '0', ...foreign).catch(() => undefined);
  await service?.stop();
  rmSync(state, { recursive: true, force: true });
});

async function facts(name: string) {
  const [id, status, labels] = (
    await service.podman(
      'inspect',
      '--type',
      'container',
      '-f',
      '{{.Id}} {{.State.Status}} {{json .Config.Labels}}',
      name,
    )
  ).split(' ');
  return { id, status, labels };
}

describe('containers berth does not own, on Podman', () => {
  it('make apply fail with a clear error and are never started, stopped or removed', async () => {
    await service.podman('run', '-d', '--name', foreign[0]!, service.image, 'sleep', '3600');
    await service.podman('create', '--name', foreign[1]!, service.image, 'sleep', '3600');
    const before = await Promise.all(foreign.map(facts));
    const dir = mkdtempSync(join(tmpdir(), 'berth-pm-own-'));
    writeFileSync(join(dir, 'a.yaml'), `${sleeperYaml('running')}---\n${sleeperYaml('created')}`);
    const env = { XDG_STATE_HOME: state, ...service.env };

    const plan = await berth(['plan', '-f', dir, '-p', project], { env });
    expect(plan.stdout).toMatch(/! Container\/running .*berth does not own/);

    const apply = await berth(['apply', '-f', dir, '-p', project], { env });
    expect(apply.code).toBe(2);
    expect(apply.stdout + apply.stderr).toMatch(/does not own/);
    const after = await Promise.all(foreign.map(facts));
    expect(after).toEqual(before);
    expect(after.map((f) => f.status)).toEqual(['running', 'created']);
    // Nothing of the project's own was left behind either.
    const names = await service.podman(
      'ps',
      '-a',
      '--filter',
      `name=${project}`,
      '--format',
      '{{.Names}}',
    );
    expect(names.split('\n').sort()).toEqual([...foreign].sort());
    rmSync(dir, { recursive: true, force: true });
  });
});
