import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { sleeperYaml } from '../support/manifests.js';
import { cleanupProject, docker, TEST_IMAGE, uniqueProject } from '../support/docker.js';

/** The project default network and replicas, on the real engine (DESIGN.md, issue 12). */

const work = mkdtempSync(join(tmpdir(), 'berth-rep-'));
const env = { XDG_STATE_HOME: join(work, 'state') };
afterAll(() => rmSync(work, { recursive: true, force: true }));

function write(dir: string, text: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'app.yaml'), text);
  return dir;
}

const server = (replicas: number) => `apiVersion: berth/v1
kind: Container
metadata: {name: web}
spec:
  image: ${TEST_IMAGE}
  init: true
  replicas: ${replicas}
  command: [sh, -c, "mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 80 -h /www"]
`;
const manifest = (replicas: number, extra = '') =>
  `${server(replicas)}---\n${sleeperYaml('client')}${extra}`;

const networksOf = async (name: string) =>
  Object.keys(
    JSON.parse(await docker('inspect', '-f', '{{json .NetworkSettings.Networks}}', name)),
  );
const names = async (project: string) =>
  (await docker('ps', '-a', '--format', '{{.Names}}', '--filter', `label=berth.project=${project}`))
    .split('\n')
    .filter(Boolean)
    .sort();

describe('default network and replicas', () => {
  const project = uniqueProject('rep');
  const dir = join(work, 'app');
  const apply = (text: string, ...extra: string[]) =>
    berth(['apply', '-f', write(dir, text), '-p', project, ...extra], { env });
  afterAll(() => cleanupProject(project));

  it('containers that name no network join <project>-default and reach each other by name', async () => {
    const out = await apply(manifest(1));
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    const labels = JSON.parse(
      await docker('network', 'inspect', '-f', '{{json .Labels}}', `${project}-default`),
    );
    expect(labels).toMatchObject({
      'berth.project': project,
      'berth.kind': 'Network',
      'berth.name': 'default',
    });
    expect(await networksOf(`${project}-client`)).toEqual([`${project}-default`]);
    const page = await docker('exec', `${project}-client`, 'wget', '-q', '-O', '-', 'http://web/');
    expect(page.length).toBeGreaterThan(0);
    const lookup = await docker('exec', `${project}-client`, 'nslookup', 'web');
    expect(lookup).toMatch(/Address/);
  });

  it('scales 1 → 3 → 2 → 1 without --prune, highest indexes go first, no orphans', async () => {
    expect((await apply(manifest(3))).code).toBe(0);
    expect(await names(project)).toEqual(
      ['client', 'web-1', 'web-2', 'web-3'].map((n) => `${project}-${n}`),
    );
    const label = (n: string) =>
      docker('inspect', '-f', '{{index .Config.Labels "berth.replica"}}', `${project}-${n}`);
    expect(await label('web-2')).toBe('2');
    // Every replica answers under the declared name (the alias on the default network): the
    // name resolves to the address of each. Which one a client reaches is the engine's DNS:
    // Docker's rotates the answers, Podman's aardvark-dns gives them in one order.
    const addresses: string[] = [];
    for (const replica of ['web-1', 'web-2', 'web-3'])
      addresses.push(
        await docker(
          'inspect',
          '-f',
          `{{(index .NetworkSettings.Networks "${project}-default").IPAddress}}`,
          `${project}-${replica}`,
        ),
      );
    // The engine's DNS may take a moment to hold the new replicas.
    let lookup = '';
    for (let i = 0; i < 20; i++) {
      lookup = await docker('exec', `${project}-client`, 'nslookup', 'web').catch(
        (e: Error) => e.message,
      );
      if (addresses.every((a) => lookup.includes(`Address: ${a}`))) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    for (const address of addresses)
      expect(lookup).toMatch(new RegExp(`^Address:\\s+${address.replaceAll('.', '\\.')}$`, 'm'));
    expect(
      await docker('exec', `${project}-client`, 'wget', '-q', '-O', '-', 'http://web/'),
    ).not.toBe('');
    expect(
      await docker('exec', `${project}-client`, 'wget', '-q', '-O', '-', 'http://web-3/'),
    ).not.toBe('');

    const plan = await berth(['plan', '-f', write(dir, manifest(2)), '-p', project], { env });
    expect(plan.stdout).toMatch(/- Container\/web-3\s+stop/);
    expect(plan.stdout).not.toMatch(/web-[12]/);
    expect((await apply(manifest(2))).code).toBe(0);
    expect(await names(project)).toEqual(
      ['client', 'web-1', 'web-2'].map((n) => `${project}-${n}`),
    );
    expect((await apply(manifest(1))).code).toBe(0);
    expect(await names(project)).toEqual(['client', 'web'].map((n) => `${project}-${n}`));
    const again = await berth(['plan', '-f', dir, '-p', project, '--exit-code'], { env });
    expect(again.code).toBe(0);
  });

  it('status, get, logs, exec and cp take NAME (all replicas, or the first) and NAME-<i>', async () => {
    expect((await apply(manifest(2))).code).toBe(0);
    const get = await berth(['get', 'Container', '-p', project, '-o', 'json'], { env });
    expect(get.code).toBe(0);
    expect(get.stdout).toContain('"web-1"');
    expect(get.stdout).toContain('"web-2"');
    const status = await berth(['status', '-p', project], { env });
    expect(status.stdout).toMatch(/web-1/);
    expect(status.stdout).toMatch(/web-2/);
    const exec = await berth(['exec', '-p', project, 'web', '--', 'hostname'], { env });
    expect(exec.code).toBe(0);
    const first = await docker('inspect', '-f', '{{.Config.Hostname}}', `${project}-web-1`);
    expect(exec.stdout.trim()).toBe(first);
    const second = await berth(['exec', '-p', project, 'web-2', '--', 'cat', '/www/index.html'], {
      env,
    });
    expect(second.stdout.trim()).toBe(
      await docker('inspect', '-f', '{{.Config.Hostname}}', `${project}-web-2`),
    );
    for (const i of [1, 2])
      await docker(
        'exec',
        `${project}-web-${i}`,
        'sh',
        '-c',
        `echo hello-from-${i} > /proc/1/fd/1`,
      );
    const logs = await berth(['logs', '-p', project, 'web'], { env });
    expect(logs.code).toBe(0);
    expect(logs.stdout).toContain('hello-from-1');
    expect(logs.stdout).toContain('hello-from-2');
    const local = join(work, 'copied.html');
    const cp = await berth(['cp', '-p', project, 'web:/www/index.html', local], { env });
    expect(cp.code).toBe(0);
  });

  it('networkless containers opt out with explicit networks; the default network goes when unused', async () => {
    const own = `apiVersion: berth/v1\nkind: Network\nmetadata: {name: own}\n---\n`;
    const text =
      own +
      sleeperYaml('web', '  networks: [own]\n') +
      '---\n' +
      sleeperYaml('client', '  networks: [own]\n');
    const out = await apply(text);
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    await expect(docker('network', 'inspect', `${project}-default`)).rejects.toThrow();
    expect(await names(project)).toEqual(['client', 'web'].map((n) => `${project}-${n}`));
  });
});
