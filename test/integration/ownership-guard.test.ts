import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDockerEngine } from '../../controller/engine/docker/docker-engine.js';
import type { Engine } from '../../controller/engine/engine.js';
import { resolveEngineAddress } from '../../controller/engine/docker/engine-address.js';
import { berth } from '../support/cli.js';
import { builtAppYaml, sleeperYaml } from '../support/manifests.js';
import { startMisleadingProxy } from '../support/misleading-proxy.js';
import { cleanupProject, docker, TEST_IMAGE, uniqueProject } from '../support/docker.js';

/**
 * Issue 19 item 11: berth never changes an object it does not own, whatever the engine
 * answers. A foreign container holds a declared container's engine name; the engine is
 * reached through a proxy that answers 500 where Docker answers 409 (as Podman does) and
 * whose container list misses the foreign container (as if it appeared after observe).
 */

const state = mkdtempSync(join(tmpdir(), 'berth-state-'));
const env = { XDG_STATE_HOME: state };
const project = uniqueProject('own');
const foreign = [`${project}-running`, `${project}-created`];
const foreignOther = `${project}-other`;
afterAll(async () => {
  for (const name of [...foreign, foreignOther]) {
    await docker('rm', '-f', name).catch(() => undefined);
  }
  await docker('network', 'rm', foreignOther).catch(() => undefined);
  await docker('volume', 'rm', foreignOther).catch(() => undefined);
  await cleanupProject(project);
  rmSync(state, { recursive: true, force: true });
});

async function facts(name: string) {
  const [id, status, labels] = (
    await docker('inspect', '-f', '{{.Id}} {{.State.Status}} {{json .Config.Labels}}', name)
  ).split(' ');
  return { id, status, labels };
}

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'berth-own-'));
  writeFileSync(join(dir, 'a.yaml'), `${sleeperYaml('running')}---\n${sleeperYaml('created')}`);
  return dir;
}

describe('objects berth does not own', () => {
  it('are left alone when the engine answers 500 for a taken name and lists miss them', async () => {
    await docker('run', '-d', '--name', foreign[0] as string, TEST_IMAGE, 'sleep', '3600');
    await docker('create', '--name', foreign[1] as string, TEST_IMAGE, 'sleep', '3600');
    const before = await Promise.all(foreign.map(facts));
    const dir = folder();

    const plan = await berth(['plan', '-f', dir, '-p', project], { env });
    expect(plan.stdout).toMatch(/! Container\/running .*berth does not own/);

    const socket = join(mkdtempSync(join(tmpdir(), 'berth-proxy-')), 'engine.sock');
    const proxy = await startMisleadingProxy(socket, {
      statuses: { 409: 500 },
      hideContainers: foreign,
    });
    try {
      const result = await berth(
        ['apply', '-f', dir, '-p', project, '--engine', `unix://${socket}`],
        {
          env,
        },
      );
      expect(result.code).toBe(2);
      expect(result.stdout + result.stderr).toMatch(/does not own/);
    } finally {
      await proxy.close();
    }
    const after = await Promise.all(foreign.map(facts));
    expect(after).toEqual(before);
    expect(after.map((f) => f.status)).toEqual(['running', 'created']);
  });

  it('the engine berth drives refuses every destructive step on them', async () => {
    const id = await docker('run', '-d', '--name', foreignOther, TEST_IMAGE, 'sleep', '3600');
    const net = await docker('network', 'create', foreignOther);
    await docker('network', 'connect', foreignOther, foreignOther);
    await docker('volume', 'create', foreignOther);
    const engine = await createDockerEngine(resolveEngineAddress(undefined, process.env));
    const steps: ((e: Engine) => Promise<unknown>)[] = [
      (e) => e.stopContainer(foreignOther, 1),
      (e) => e.killContainer(id),
      (e) => e.pauseContainer(id),
      (e) => e.unpauseContainer(id),
      (e) => e.startContainer(id),
      (e) => e.renameContainer(id, `${foreignOther}-moved`),
      (e) => e.removeContainer(foreignOther),
      (e) => e.disconnectNetwork(foreignOther, foreignOther),
      (e) => e.removeNetwork(net),
      (e) => e.removeNetwork(foreignOther),
      (e) => e.removeVolume(foreignOther),
    ];
    for (const step of steps)
      await expect(step(engine)).rejects.toMatchObject({ code: 'E_NOT_OWNED' });
    expect(await facts(foreignOther)).toMatchObject({ id, status: 'running' });
    expect(await docker('network', 'inspect', '-f', '{{.Id}}', foreignOther)).toBe(net);
    const members = await docker('network', 'inspect', '-f', '{{json .Containers}}', foreignOther);
    expect(members).toContain(id);
    expect(await docker('volume', 'inspect', '-f', '{{.Name}}', foreignOther)).toBe(foreignOther);
  });

  it('a container run by hand from an image berth built is not taken for its own (F264)', async () => {
    // The engine copies an image's labels onto every container made from it, so this one
    // carries berth.project, berth.kind=Image and berth.name=app of the project.
    const built = `${project}-img`;
    const dir = mkdtempSync(join(tmpdir(), 'berth-own-img-'));
    mkdirSync(join(dir, 'app'));
    writeFileSync(join(dir, 'app', 'Dockerfile'), `FROM ${TEST_IMAGE}\nRUN echo one > /v\n`);
    const ref = `localhost/${built}-app:1`;
    writeFileSync(join(dir, 'set.yaml'), builtAppYaml(ref));
    try {
      const applied = await berth(['apply', '-f', dir, '-p', built], { env });
      expect(applied.code, applied.stdout + applied.stderr).toBe(0);
      await docker('rm', '-f', `${built}-app`);
      await docker('run', '-d', '--name', `${built}-app`, ref, 'sleep', '3600');
      const before = await facts(`${built}-app`);
      expect(before.labels).toContain('"berth.kind":"Image"');
      const plan = await berth(['plan', '-f', dir, '-p', built], { env });
      expect(plan.stdout).toMatch(
        /! Container\/app .*taken by a container berth does not own \(it carries the labels of Image\/app of project/,
      );
      const clash = await berth(['apply', '-f', dir, '-p', built], { env });
      expect(clash.code, clash.stdout + clash.stderr).toBe(2);
      expect(await facts(`${built}-app`)).toEqual(before);
    } finally {
      await cleanupProject(built);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a name another project of berth holds is named with its owner, not as foreign (F155)', async () => {
    // Project P declares `web-db`, project P-web declares `db`: both are `P-web-db`.
    const other = `${project}-web`;
    const first = mkdtempSync(join(tmpdir(), 'berth-own-a-'));
    const second = mkdtempSync(join(tmpdir(), 'berth-own-b-'));
    writeFileSync(join(first, 'a.yaml'), sleeperYaml('web-db'));
    writeFileSync(join(second, 'a.yaml'), sleeperYaml('db'));
    try {
      const applied = await berth(['apply', '-f', first, '-p', project], { env });
      expect(applied.code, applied.stdout + applied.stderr).toBe(0);
      const plan = await berth(['plan', '-f', second, '-p', other], { env });
      const owner = `taken by Container/web-db of project ${project}`;
      expect(plan.stdout).toContain(owner);
      const clash = await berth(['apply', '-f', second, '-p', other], { env });
      expect(clash.code).not.toBe(0);
      expect(clash.stdout + clash.stderr).toContain(owner);
      expect(clash.stdout + clash.stderr).not.toMatch(/does not own/);
    } finally {
      await cleanupProject(other);
      for (const dir of [first, second]) rmSync(dir, { recursive: true, force: true });
    }
  });
});
