import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchGuarded, screenshotOnFailure, type GuardedBrowser } from '../support/browser.js';
import { berth } from '../support/cli.js';
import {
  clusterEngine,
  scratchDockerConfig,
  startCluster,
  type Cluster,
} from '../support/cluster.js';
import { cleanupProject, freePort, TEST_IMAGE, uniqueProject } from '../support/docker.js';
import { sleeperYaml } from '../support/manifests.js';
import {
  eventually,
  killStrayBerths,
  spawnBerth,
  waitForApi,
  type WatchProcess,
} from './watch-support.js';

const run = promisify(execFile);

/**
 * `berth watch` over a set spanning two real engines (issue 17): the host engine and an
 * extra dockerd of scripts/cluster reached through a Docker context `dc2`. One folder feeds
 * both: a change of a file reaches the engine its object is placed on, drift there is
 * repaired from that engine's own events, and the status API, `berth status` and the web
 * view list every object with its context.
 */
const { work, dir, env, contexts } = scratchDockerConfig('watch-across');
const project = uniqueProject('wacross');
const HOST = 'unix:///var/run/docker.sock';
// Engine 2: startCluster brings up engines 1 and 2 when the test starts the cluster itself (as CI does).
const FAR = clusterEngine(2);
let cluster: Cluster | undefined;
let watch: WatchProcess | undefined;
let guarded: GuardedBrowser | undefined;
let port: number;

const on = (host: string, ...args: string[]) =>
  run('docker', ['-H', host, ...args]).then((r) => r.stdout.trim());
const containers = (host: string) =>
  on(host, 'ps', '-a', '--filter', `label=berth.project=${project}`, '--format', '{{.Names}}')
    .then((out) => out.split('\n').filter(Boolean).sort())
    .catch(() => []);
const envOf = (host: string, name: string) =>
  on(host, 'inspect', '-f', '{{join .Config.Env " "}}', `${project}-${name}`).catch(() => '');
const idOf = (host: string, name: string) =>
  on(host, 'inspect', '-f', '{{.Id}}', `${project}-${name}`).catch(() => '');

function writeAway(mode: string): void {
  const extra = `  env: {MODE: ${mode}}\n  placement: {context: dc2}\n`;
  writeFileSync(join(dir, 'away.yaml'), sleeperYaml('away', extra));
}

interface StatusObject {
  key: string;
  context: string | null;
  observed: string;
  inSync: boolean;
}
async function apiStatus(): Promise<{ inSync: boolean; objects: StatusObject[] }> {
  const answer = await fetch(`http://127.0.0.1:${port}/api/v1/status`);
  return (await answer.json()) as { inSync: boolean; objects: StatusObject[] };
}

beforeAll(async () => {
  mkdirSync(dir);
  cluster = await startCluster(TEST_IMAGE);
  await contexts('create', 'dc2', '--docker', `host=${FAR}`);
  writeFileSync(join(dir, 'home.yaml'), sleeperYaml('home'));
  writeAway('one');
  port = await freePort();
  watch = spawnBerth(
    ['watch', dir, '-p', project, '--listen', `127.0.0.1:${port}`, '--resync', '30s'],
    env,
  );
  await waitForApi(watch);
}, 180_000);

afterAll(async () => {
  await guarded?.close();
  watch?.child.kill('SIGTERM');
  await watch?.exited;
  await killStrayBerths();
  for (const host of [HOST, FAR]) {
    const names = await containers(host);
    if (names.length) await on(host, 'rm', '-f', ...names).catch(() => undefined);
    const nets = await on(host, 'network', 'ls', '-q', '--filter', `label=berth.project=${project}`)
      .then((out) => out.split('\n').filter(Boolean))
      .catch(() => []);
    if (nets.length) await on(host, 'network', 'rm', ...nets).catch(() => undefined);
  }
  await cleanupProject(project);
  await cluster?.down();
  rmSync(work, { recursive: true, force: true });
}, 120_000);

describe('berth watch over a set spanning two engines', () => {
  it("creates each object on its context's engine", async () => {
    const created = await eventually(
      async () =>
        (await containers(HOST)).join() === `${project}-home` &&
        (await containers(FAR)).join() === `${project}-away`,
      60_000,
    );
    expect(created, watch!.stderr()).toBe(true);
  });

  it('lists every object with its context in the status API and in berth status', async () => {
    const listed = await eventually(async () => {
      const { inSync, objects } = await apiStatus();
      const away = objects.find((o) => o.key === 'Container/away@dc2');
      const home = objects.find((o) => o.key === 'Container/home');
      const placed = away?.context === 'dc2' && home?.context === null;
      return inSync && placed && away?.observed === 'running';
    }, 30_000);
    expect(listed, JSON.stringify(await apiStatus())).toBe(true);
    const cli = await berth(['status', '-p', project, '-o', 'json'], { env });
    expect(cli.code, cli.stderr).toBe(0);
    const objects = (JSON.parse(cli.stdout) as { objects: StatusObject[] }).objects;
    expect(objects.find((o) => o.key === 'Container/away@dc2')?.context).toBe('dc2');
  });

  it('a change of the file reaches the engine the object is placed on', async () => {
    const home = await idOf(HOST, 'home');
    writeAway('two');
    const changed = await eventually(
      async () => / MODE=two/.test(` ${await envOf(FAR, 'away')}`),
      60_000,
    );
    expect(changed, watch!.stderr()).toBe(true);
    expect(await idOf(HOST, 'home')).toBe(home);
  });

  it('a container removed by hand on the other engine is made again', async () => {
    const before = await idOf(FAR, 'away');
    await on(FAR, 'rm', '-f', `${project}-away`);
    const repaired = await eventually(async () => {
      const now = await idOf(FAR, 'away');
      return now !== '' && now !== before;
    }, 60_000);
    expect(repaired, watch!.stderr()).toBe(true);
  });

  it('the web view shows the context of every object and the engine the watch runs against', async () => {
    const origin = `http://127.0.0.1:${port}`;
    guarded = await launchGuarded(origin);
    const page: Page = await guarded.context.newPage();
    await screenshotOnFailure(page, 'watch-across-web', async () => {
      await page.goto(`${origin}/`);
      const cell = (key: string, label: string) =>
        page.locator(`tr.row[data-key="${key}"] td[data-label="${label}"]`);
      await expect
        .poll(() => cell('Container/away@dc2', 'context').textContent(), { timeout: 30_000 })
        .toBe('dc2');
      expect(await cell('Container/home', 'context').textContent()).toBe('-');
      await expect
        .poll(() => cell('Container/away@dc2', 'actual').textContent(), { timeout: 30_000 })
        .toBe('running');
      expect(await page.getByTestId('engine').textContent()).toContain('/var/run/docker.sock');
      expect(guarded!.outside).toEqual([]);
    });
  });
});
