import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { sleeperYaml } from '../support/manifests.js';
import { cleanupProject, docker, TEST_IMAGE, uniqueProject } from '../support/docker.js';

/** Networks, volumes, bind mounts and built images through apply and delete, on the real engine. */

const work = mkdtempSync(join(tmpdir(), 'berth-res-'));
const env = { XDG_STATE_HOME: join(work, 'state') };
afterAll(() => rmSync(work, { recursive: true, force: true }));

function write(dir: string, text: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'app.yaml'), text);
  return dir;
}

describe('resources', () => {
  const project = uniqueProject('res');
  afterAll(async () => {
    await cleanupProject(project);
    await docker('volume', 'rm', '-f', `${project}-keep`, `${project}-scratch`).catch(
      () => undefined,
    );
  });

  it('a changed network is recreated and its containers reconnected, keeping their aliases', async () => {
    const net = (internal: boolean) => `apiVersion: berth/v1
kind: Network
metadata: {name: net}
spec: {internal: ${internal}}
---
${sleeperYaml('a', '  networks: [{network: net, aliases: [alpha]}]')}
---
${sleeperYaml('b', '  networks: [net]')}`;
    const dir = join(work, 'net');
    expect(
      (await berth(['apply', '-f', write(dir, net(false)), '-p', project], { env })).code,
    ).toBe(0);
    // Its creation time, not its id: Podman's network id is the sha256 of its name, the same
    // for the network recreated.
    const created = () => docker('network', 'inspect', '-f', '{{.Created}}', `${project}-net`);
    const before = await created();
    const containerBefore = await docker('inspect', '-f', '{{.Id}}', `${project}-a`);
    const plan = await berth(['plan', '-f', write(dir, net(true)), '-p', project], { env });
    expect(plan.stdout).toMatch(/~ Network\/net\s+remove\s+network spec changed/);
    expect((await berth(['apply', '-f', dir, '-p', project], { env })).code).toBe(0);
    expect(await docker('network', 'inspect', '-f', '{{.Internal}}', `${project}-net`)).toBe(
      'true',
    );
    expect(await created()).not.toBe(before);
    expect(await docker('inspect', '-f', '{{.Id}}', `${project}-a`)).toBe(containerBefore);
    // The alias answers with a's address on the new network. Asked of the engine's DNS, not
    // pinged: on Podman here an internal network drops traffic between its own containers
    // next to dockerd's firewall rules (ENGINE-NOTES.md, "Podman"), berth or not.
    const address = await docker(
      'inspect',
      '-f',
      `{{(index .NetworkSettings.Networks "${project}-net").IPAddress}}`,
      `${project}-a`,
    );
    expect(address).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    const answer = await docker('exec', `${project}-b`, 'nslookup', 'alpha');
    expect(answer).toMatch(new RegExp(`^Address:\\s+${address.replaceAll('.', '\\.')}$`, 'm'));
  });

  it('a volume that retains its data survives delete; one that does not is removed', async () => {
    const dir = write(
      join(work, 'vol'),
      `apiVersion: berth/v1
kind: Volume
metadata: {name: keep}
---
apiVersion: berth/v1
kind: Volume
metadata: {name: scratch}
spec: {retain: false}
---
${sleeperYaml('writer', '  mounts: [{volume: keep, target: /data}, {volume: scratch, target: /scratch}]')}`,
    );
    expect((await berth(['apply', '-f', dir, '-p', project], { env })).code).toBe(0);
    await docker('exec', `${project}-writer`, 'sh', '-c', 'echo precious > /data/file');
    expect((await berth(['delete', '-f', dir, '-p', project], { env })).code).toBe(0);
    const volumes = await docker('volume', 'ls', '-q', '--filter', `name=${project}-`);
    expect(volumes.split('\n')).toEqual([`${project}-keep`]);
    expect((await berth(['apply', '-f', dir, '-p', project], { env })).code).toBe(0);
    expect(await docker('exec', `${project}-writer`, 'cat', '/data/file')).toBe('precious');
  });

  it('DirectoryOrCreate creates the host folder; a missing Directory fails the apply, naming the path', async () => {
    const host = join(work, 'made', 'here');
    const ok = write(
      join(work, 'bind-ok'),
      `apiVersion: berth/v1
kind: BindMount
metadata: {name: made}
spec: {hostPath: ${host}}
---
${sleeperYaml('binder', '  mounts: [{bindMount: made, target: /made}]')}`,
    );
    expect((await berth(['apply', '-f', ok, '-p', project], { env })).code).toBe(0);
    expect(existsSync(host)).toBe(true);

    const missing = join(work, 'not', 'there');
    const bad = write(
      join(work, 'bind-bad'),
      `apiVersion: berth/v1
kind: BindMount
metadata: {name: gone}
spec: {hostPath: ${missing}, type: Directory}
---
${sleeperYaml('orphan', '  mounts: [{bindMount: gone, target: /gone}]')}`,
    );
    const result = await berth(['apply', '-f', bad, '-p', project], { env });
    expect(result.code).toBe(2);
    expect(result.stdout).toContain(`${missing} does not exist`);
    expect(existsSync(missing)).toBe(false);
  });

  it('a built image is rebuilt only when its context changes; delete KIND/NAME removes one object', async () => {
    const dir = join(work, 'build');
    mkdirSync(join(dir, 'ctx'), { recursive: true });
    writeFileSync(join(dir, 'ctx', 'Dockerfile'), `FROM ${TEST_IMAGE}\nCOPY message /message\n`);
    writeFileSync(join(dir, 'ctx', 'message'), 'one');
    const ref = `localhost/berth-test-${project}:1`;
    write(
      dir,
      `apiVersion: berth/v1
kind: Image
metadata: {name: img}
spec: {ref: "${ref}", build: {context: ./ctx}}
---
${sleeperYaml('built', '  image: img').replace(`  image: ${TEST_IMAGE}\n`, '')}`,
    );
    expect((await berth(['apply', '-f', dir, '-p', project], { env })).code).toBe(0);
    const first = await docker('image', 'inspect', '-f', '{{.Id}}', ref);
    expect((await berth(['plan', '-f', dir, '-p', project, '--exit-code'], { env })).code).toBe(0);

    writeFileSync(join(dir, 'ctx', 'message'), 'two');
    const plan = await berth(['plan', '-f', dir, '-p', project], { env });
    expect(plan.stdout).toMatch(/~ Image\/img\s+build\s+build context/);
    expect((await berth(['apply', '-f', dir, '-p', project], { env })).code).toBe(0);
    expect(await docker('image', 'inspect', '-f', '{{.Id}}', ref)).not.toBe(first);
    expect(await docker('exec', `${project}-built`, 'cat', '/message')).toBe('two');

    expect((await berth(['delete', 'container/built', '-p', project], { env })).code).toBe(0);
    // `/?`: Docker matches the name with its leading `/`, Podman without it.
    expect(await docker('ps', '-aq', '--filter', `name=^/?${project}-built$`)).toBe('');
    expect((await berth(['delete', 'container/nothing', '-p', project], { env })).code).toBe(1);
  });
});
