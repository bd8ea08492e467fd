import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupProject, docker, envValue, freePort, uniqueProject } from '../support/docker.js';
import { launchGuarded, screenshotOnFailure, type GuardedBrowser } from '../support/browser.js';
import {
  containerYaml,
  spawnBerth,
  stateOf,
  waitForApi,
  type WatchProcess,
} from '../integration/watch-support.js';

// One controller and one browser for the file: the page is looked at as a person would,
// through the text it shows (issue 16).
const project = uniqueProject('web');
let dir: string;
let stateHome: string;
let port: number;
let origin: string;
let watch: WatchProcess;
let guarded: GuardedBrowser;
let page: Page;
const engineName = (n: string) => `${project}-${n}`;
/** A spec line wider than a phone: its open panel must still fit the screen (F33). */
const FRONT_ENV =
  '  env: {NOTE: "a value far longer than a phone screen is wide, as URLs and commands are"}\n';
/** Polls wait this long: the page is fast, but the machine is shared with other test files. */
const SLOW = { timeout: 10_000 };

function startWatch(): WatchProcess {
  return spawnBerth(
    [
      'watch',
      dir,
      '-p',
      project,
      '--listen',
      `127.0.0.1:${port}`,
      '--ui-actions',
      '--resync',
      '30s',
    ],
    { XDG_STATE_HOME: stateHome },
  );
}

async function stopWatch(): Promise<void> {
  if (watch.child.exitCode !== null) return;
  watch.child.kill('SIGTERM');
  await watch.exited;
}

const row = (key: string) => page.locator(`tr.row[data-key="${key}"]`);
const cell = (key: string, label: string) => row(key).locator(`td[data-label="${label}"]`);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'berth-web-'));
  stateHome = await mkdtemp(join(tmpdir(), 'berth-web-state-'));
  await writeFile(
    join(dir, 'app.yaml'),
    [containerYaml('front', FRONT_ENV), containerYaml('back')].join('---\n'),
  );
  await writeFile(
    join(dir, 'net.yaml'),
    'apiVersion: berth/v1\nkind: Network\nmetadata: {name: net}\n',
  );
  port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  watch = startWatch();
  await waitForApi(watch);
  guarded = await launchGuarded(origin);
  page = await guarded.context.newPage();
}, 120_000);

afterAll(async () => {
  await guarded?.close();
  if (watch && watch.child.exitCode === null) {
    watch.child.kill('SIGKILL');
    await watch.exited;
  }
  await cleanupProject(project);
  await rm(dir, { recursive: true, force: true });
  await rm(stateHome, { recursive: true, force: true });
});

describe('the web view of berth watch, in chromium', () => {
  it('shows every object as a row with its state in words', () =>
    screenshotOnFailure(page, 'web-view-rows', async () => {
      await page.goto(`${origin}/`);
      await expect
        .poll(() => cell('Container/front', 'actual').textContent(), { timeout: 30_000 })
        .toBe('running');
      await expect.poll(() => cell('Container/back', 'ready').textContent(), SLOW).toBe('yes');
      expect(await cell('Container/front', 'sync').textContent()).toBe('Synced');
      expect(await cell('Network/net', 'kind').textContent()).toBe('Network');
      expect(await page.getByTestId('connection').textContent()).toContain('live');
      expect(await page.getByTestId('summary').textContent()).toBe('in sync');
    }));

  it('shows a docker kill and the repair: events, plan step and the row back to running', () =>
    screenshotOnFailure(page, 'web-view-kill', async () => {
      await docker('kill', engineName('front'));
      await row('Container/front').click();
      const events = page.getByTestId('detail').locator('ul.events');
      await expect.poll(() => events.textContent(), { timeout: 10_000 }).toMatch(/die/);
      await expect
        .poll(() => events.textContent(), { timeout: 15_000 })
        .toMatch(/start: converged/);
      await expect
        .poll(() => cell('Container/front', 'actual').textContent(), SLOW)
        .toBe('running');
      const plan = page.getByTestId('plan');
      await expect.poll(() => plan.textContent(), SLOW).toMatch(/done\s*start Container\/front/);
    }));

  it('filters by kind and by state', () =>
    screenshotOnFailure(page, 'web-view-filter', async () => {
      const all = await page.locator('tr.row').count();
      const networks = await page
        .locator('tr.row td[data-label="kind"]', { hasText: 'Network' })
        .count();
      expect(networks).toBeGreaterThan(0);
      try {
        await page.getByTestId('filter-kind').selectOption('Network');
        await expect.poll(() => page.locator('tr.row').count(), SLOW).toBe(networks);
        expect(await page.getByTestId('count').textContent()).toBe(`${networks} of ${all} objects`);
        expect(await page.locator('tr.row[data-key^="Container/"]').count()).toBe(0);
        await page.getByTestId('filter-kind').selectOption('all');
        // The previous test's kill may leave a container in its restart back-off (out of
        // sync for a while): the filter must show exactly the rows whose sync says so.
        const outOfSync = () =>
          page.locator('tr.row td[data-label="sync"]', { hasText: 'OutOfSync' }).count();
        await page.getByTestId('filter-state').selectOption('out of sync');
        await expect
          .poll(async () => (await page.locator('tr.row').count()) === (await outOfSync()), SLOW)
          .toBe(true);
      } finally {
        await page.getByTestId('filter-kind').selectOption('all');
        await page.getByTestId('filter-state').selectOption('all');
      }
      await expect.poll(() => page.locator('tr.row').count(), SLOW).toBe(all);
    }));

  it('runs Sync from its button (--ui-actions)', () =>
    screenshotOnFailure(page, 'web-view-sync', async () => {
      await page.locator('button[data-action="sync"]').click();
      await expect
        .poll(() => page.locator('.top .answer').textContent(), SLOW)
        .toMatch(/^sync queued for \d+ objects$/);
      expect(await page.locator('.top button[data-action="rollback"]').count()).toBe(1);
    }));

  it('holds, releases (counting down the health gate) and rolls back from its buttons', () =>
    screenshotOnFailure(page, 'web-view-hold-rollback', async () => {
      const answer = (id: string) =>
        page.locator(`.top .action:has(button[data-action="${id}"]) .answer`);
      const modeOfBack = () => envValue(engineName('back'), 'MODE');
      const history = page.getByTestId('history').locator('li');
      await expect.poll(() => history.count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(1);
      const applies = await history.count();

      await page.locator('.top button[data-action="hold"]').click();
      await expect.poll(() => answer('hold').textContent(), SLOW).toMatch(/held since/);
      await writeFile(
        join(dir, 'app.yaml'),
        [containerYaml('front', FRONT_ENV), containerYaml('back', '  env: {MODE: two}\n')].join(
          '---\n',
        ),
      );
      await expect.poll(() => page.locator('.notice').textContent(), SLOW).toMatch(/Held since/);
      // The folder watcher reacts within ~0.2 s; held, nothing may change.
      await new Promise((r) => setTimeout(r, 1_000));
      expect(await modeOfBack()).toBeUndefined();

      await page.locator('.top button[data-action="release"]').click();
      await expect.poll(() => answer('release').textContent(), SLOW).toMatch(/released/);
      // A start-first update waits on its gate (minReady 3 s): the plan counts it down.
      const gate = page.locator('.plan li.running', { hasText: 'health gate' });
      await expect.poll(() => gate.textContent(), SLOW).toMatch(/Container\/back.*[1-3] s left/);
      const left = Number(/(\d) s left/.exec((await gate.textContent()) ?? '')?.[1]);
      await expect
        .poll(async () => {
          const text = (await gate.count()) ? await gate.textContent() : '0 s left';
          return Number(/(\d) s left/.exec(text ?? '')?.[1] ?? 0);
        }, SLOW)
        .toBeLessThan(left);
      await expect.poll(modeOfBack, { timeout: 30_000 }).toBe('two');
      await expect.poll(() => history.count(), { timeout: 30_000 }).toBe(applies + 1);

      // Roll back to the apply before the last, from its row in the history.
      await history.nth(1).locator('button[data-action="rollback"]').click();
      await expect
        .poll(() => history.nth(1).locator('.answer').textContent(), SLOW)
        .toMatch(/rolling back to apply \w+: 1 objects change/);
      await expect.poll(modeOfBack, { timeout: 30_000 }).toBeUndefined();
      await expect.poll(() => page.locator('.notice').textContent(), SLOW).toMatch(/Held since/);
      await expect
        .poll(() => history.first().textContent(), { timeout: 30_000 })
        .toMatch(/rollback to/);
      // Release: the folder's revision applies again (and the next tests see no hold).
      await page.locator('.top button[data-action="release"]').click();
      await expect.poll(modeOfBack, { timeout: 30_000 }).toBe('two');
      await expect.poll(() => page.locator('.notice').count(), SLOW).toBe(0);
    }));

  it('says "disconnected" while the controller is away and catches up when it returns', () =>
    screenshotOnFailure(page, 'web-view-reconnect', async () => {
      await stopWatch();
      await expect
        .poll(() => page.getByTestId('connection').textContent(), { timeout: 10_000 })
        .toContain('disconnected');
      expect(await page.getByTestId('banner').textContent()).toMatch(
        /Disconnected from the controller/,
      );
      // While it is away, the folder changes: the page must show it once the controller is back.
      await writeFile(join(dir, 'extra.yaml'), containerYaml('extra'));
      watch = startWatch();
      await expect
        .poll(() => page.getByTestId('connection').textContent(), { timeout: 30_000 })
        .toContain('live');
      expect(await page.getByTestId('banner').count()).toBe(0);
      await expect
        .poll(() => cell('Container/extra', 'actual').textContent(), { timeout: 30_000 })
        .toBe('running');
      expect(await stateOf(engineName('extra'))).toBe('running');
    }));

  it('fits a phone-width screen (375 px) without sideways scrolling', () =>
    screenshotOnFailure(page, 'web-view-phone', async () => {
      await page.setViewportSize({ width: 375, height: 800 });
      await expect
        .poll(() => page.evaluate(() => document.documentElement.scrollWidth), SLOW)
        .toBeLessThanOrEqual(375);
      expect(await cell('Container/front', 'name').isVisible()).toBe(true);
      // An open object, with its spec, fits too (it was 437 px wide: new-user trial F33).
      if (!((await row('Container/front').getAttribute('class')) ?? '').includes('open'))
        await row('Container/front').click();
      await page.locator('pre.spec').first().waitFor(SLOW);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
        375,
      );
    }));

  it('never asked anything of a host but the controller', () => {
    expect(guarded.requested.length).toBeGreaterThan(0);
    expect(guarded.outside).toEqual([]);
  });
});
