import { mkdir } from 'node:fs/promises';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Debian's chromium (scripts/setup.sh installs it); BERTH_CHROMIUM overrides. */
export const CHROMIUM = process.env.BERTH_CHROMIUM ?? '/usr/bin/chromium';

/** Where a failing browser test leaves its screenshot. */
export const SCREENSHOT_DIR = new URL('../../test-results/', import.meta.url).pathname;

/** A headless browser whose pages may only talk to `origin`; everything else is refused and listed. */
export interface GuardedBrowser {
  browser: Browser;
  context: BrowserContext;
  /** URLs the page tried to load from anywhere but `origin` (must stay empty). */
  outside: string[];
  /** Every URL the page requested. */
  requested: string[];
  close(): Promise<void>;
}

export async function launchGuarded(
  origin: string,
  viewport = { width: 1100, height: 800 },
): Promise<GuardedBrowser> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
  const context = await browser.newContext({ viewport });
  const outside: string[] = [];
  const requested: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    requested.push(url);
    if (url.startsWith(`${origin}/`) || url === origin) return route.continue();
    outside.push(url);
    return route.abort('blockedbyclient');
  });
  return { browser, context, outside, requested, close: () => browser.close() };
}

/** Runs `body`; on failure saves a full-page screenshot named after `name` and rethrows. */
export async function screenshotOnFailure<T>(
  page: Page,
  name: string,
  body: () => Promise<T>,
): Promise<T> {
  try {
    return await body();
  } catch (e) {
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    const path = `${SCREENSHOT_DIR}${name}.png`;
    await page.screenshot({ path, fullPage: true }).catch(() => undefined);
    (e as Error).message += `\n(screenshot: ${path})`;
    throw e;
  }
}
