import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import type { BenchContext } from '../lib/context.js';
import { engineCall } from '../lib/engine-http.js';
import { nowMs, waitForEvent } from '../lib/events.js';
import { toToolResult, type Sample } from '../lib/interleave.js';
import type { ScenarioResult } from '../lib/results.js';
import { startWatch } from '../lib/watch-process.js';
import { percentile } from '../lib/stats.js';
import { limitBar } from './bars.js';

const CHROMIUM = process.env.BERTH_CHROMIUM ?? '/usr/bin/chromium';
const PORT_BASE = 17_900 + (process.pid % 50);
const SEEN_TIMEOUT = 10_000;

/** The web view's bars (issue 16): event → page, and first render of 500 objects. */
export async function webScenarios(
  ctx: BenchContext,
  sizes: { kills: number; objects: number },
): Promise<ScenarioResult[]> {
  return [await eventToPage(ctx, sizes.kills), await firstRender(ctx, sizes.objects)];
}

/**
 * A container that idles. The kill bench uses `restartPolicy: Never` (`restartNever`): it
 * starts the victim again itself, so each kill is timed at once instead of waiting out berth's
 * restart back-off (10 s doubling, DESIGN "Readiness, restarts and back-off"), which would make
 * later kills wait minutes.
 */
export function sleeper(name: string, restartNever = true): string {
  return `apiVersion: berth/v1
kind: Container
metadata: {name: ${name}}
spec:
  image: localhost/berth-busybox:1
${restartNever ? '  restartPolicy: Never\n' : ''}  command: [sh, -c]
  args: ["trap 'exit 0' TERM; sleep 3600 & wait"]
`;
}

function folder(ctx: BenchContext, name: string, files: Record<string, string>): string {
  const dir = join(ctx.workDir, name);
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  return dir;
}

/** p95 of the good samples (nearest rank). */
function p95(samples: Sample[]): number | undefined {
  const v = percentile(
    samples.filter((s) => s.ok).map((s) => s.ms),
    95,
  );
  return v === undefined ? undefined : Math.round(v);
}

/**
 * `docker kill` of a watched container, timed from the kill request until the page shows the
 * engine's `die` for that container at the top of its events (polled every animation frame),
 * next to the floor: the same event read straight from the engine's /events stream. After
 * each kill the bench starts the container again and waits until the page shows that `start`.
 */
async function eventToPage(ctx: BenchContext, kills: number): Promise<ScenarioResult> {
  const project = `${ctx.prefix}web-kill`;
  const name = `${project}-victim`;
  const dir = folder(ctx, 'web-kill', { 'victim.yaml': sleeper('victim') });
  const port = PORT_BASE;
  const watch = await startWatch(ctx, dir, project, port, { total: 1 });
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
  const page_: Page = await browser.newPage();
  const toPage: Sample[] = [];
  const toEngine: Sample[] = [];
  try {
    await page_.goto(`http://127.0.0.1:${port}/`);
    await page_.locator('tr.row[data-key="Container/victim"]').click();
    const topEvent = (pattern: string): Promise<unknown> =>
      page_.waitForFunction(
        (source) =>
          new RegExp(source).test(document.querySelector('ul.events li')?.textContent ?? ''),
        pattern,
        { timeout: SEEN_TIMEOUT, polling: 'raf' },
      );
    for (let i = 0; i < kills; i++) {
      // The container runs again and the page shows it, so the next `die` on top is this kill's.
      await topEvent('\\bstart\\b');
      const floor = await waitForEvent(
        { event: ['die'], container: [name] },
        () => true,
        SEEN_TIMEOUT,
      );
      const t0 = nowMs();
      await engineCall('POST', `/containers/${name}/kill`);
      const shown = topEvent('\\bdie\\b').then(
        () => ({ ms: nowMs() - t0, ok: true }),
        (e: Error) => ({ ms: 0, ok: false, error: e.message }),
      );
      toEngine.push({ ms: (await floor.arrived) - t0, ok: true });
      toPage.push(await shown);
      await engineCall('POST', `/containers/${name}/start`);
    }
  } finally {
    await browser.close();
    await watch.stop();
  }
  const pageP95 = p95(toPage);
  return {
    id: 'web-event-to-page',
    title: `web view: docker kill → page shows it (${kills} kills)`,
    measure: 'ms from the kill request until the page (or the raw /events stream) shows the die',
    unit: 'ms',
    tools: { berth: toToolResult(toPage), raw: toToolResult(toEngine) },
    bars: [limitBar('engine event → page ≤ 0.5 s p95', pageP95, 500, 'ms (p95)')],
    notes: [
      `p95: page ${pageP95} ms, raw engine event stream ${p95(toEngine)} ms`,
      'raw = the same die event read straight from the engine (the floor)',
    ],
  };
}

/**
 * 500 objects (volumes: cheap for a shared engine) under `berth watch`; a fresh page is timed
 * from navigation until all 500 rows are in the DOM (checked, not assumed).
 */
async function firstRender(ctx: BenchContext, objects: number): Promise<ScenarioResult> {
  const project = `${ctx.prefix}web-many`;
  const volumes = Array.from(
    { length: objects },
    (_, i) => `apiVersion: berth/v1\nkind: Volume\nmetadata: {name: v${i}}\n`,
  ).join('---\n');
  const dir = folder(ctx, 'web-many', { 'volumes.yaml': volumes });
  const port = PORT_BASE + 1;
  const watch = await startWatch(ctx, dir, project, port, { total: 0 });
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
  const samples: Sample[] = [];
  try {
    // The controller has created every volume once the API lists them all.
    await waitForRows(port, objects);
    for (let run = 0; run < Math.max(ctx.runs, 3); run++) {
      const page = await browser.newPage();
      const t0 = nowMs();
      await page.goto(`http://127.0.0.1:${port}/`);
      const ok = await page
        .waitForFunction((n) => document.querySelectorAll('tr.row').length >= n, objects, {
          timeout: 10_000,
          polling: 'raf',
        })
        .then(
          () => true,
          () => false,
        );
      samples.push({ ms: nowMs() - t0, ok });
      await page.close();
    }
  } finally {
    await browser.close();
    await watch.stop();
    // The volumes are the bench's own (named bench-…): remove them.
    const listed = JSON.parse(
      await engineCall(
        'GET',
        `/volumes?filters=${encodeURIComponent(JSON.stringify({ label: [`berth.project=${project}`] }))}`,
      ),
    ) as { Volumes: { Name: string }[] | null };
    for (const v of listed.Volumes ?? [])
      await engineCall('DELETE', `/volumes/${v.Name}`).catch(() => undefined);
  }
  const result = toToolResult(samples);
  return {
    id: 'web-first-render',
    title: `web view: first render of ${objects} objects`,
    measure: 'ms from navigation until every row is in the page',
    unit: 'ms',
    tools: { berth: result },
    bars: [
      limitBar(
        `${objects} objects: first render < 1 s`,
        result.runs ? result.max : undefined,
        1000,
        'ms (slowest run)',
      ),
    ],
    notes: [],
  };
}

async function waitForRows(port: number, objects: number): Promise<void> {
  const deadline = Date.now() + 300_000;
  while (Date.now() < deadline) {
    const status = (await (await fetch(`http://127.0.0.1:${port}/api/v1/status`)).json()) as {
      objects: { observed: string }[];
    };
    if (status.objects.filter((o) => o.observed === 'present').length >= objects) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the controller did not create ${objects} volumes within 300 s`);
}
