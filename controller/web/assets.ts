import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** The page's script and style, as served under /assets/. */
export interface PageAssets {
  js: string;
  css: string;
}

/** The page's entry; scripts/build.mjs bundles it (with preact + htm) into dist/web/. */
export const PAGE_ENTRY = 'controller/web/page/main.ts';

let loaded: Promise<PageAssets> | undefined;

/**
 * The page's bundle. The built CLI reads dist/web/app.{js,css} (made by `npm run build`);
 * run from source (tsx), it bundles the page in memory with esbuild once, so a source run
 * never serves a stale build. Cached for the life of the process.
 */
export function pageAssets(): Promise<PageAssets> {
  loaded ??= import.meta.url.endsWith('.ts') ? bundleFromSource() : readBuilt();
  return loaded;
}

async function readBuilt(): Promise<PageAssets> {
  // The bundle's entry lies in dist/ and its chunks in dist/chunks/: try both.
  for (const base of ['./web/', '../web/']) {
    const dir = new URL(base, import.meta.url);
    const js = await readFile(new URL('app.js', dir), 'utf8').catch(() => undefined);
    if (js !== undefined) return { js, css: await readFile(new URL('app.css', dir), 'utf8') };
  }
  throw new Error('dist/web/app.js is missing: run npm run build');
}

async function bundleFromSource(): Promise<PageAssets> {
  const { build } = await import('esbuild');
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const result = await build({ ...pageBuildOptions(root), write: false, outdir: 'out' });
  const text = (ext: string) => result.outputFiles.find((f) => f.path.endsWith(ext))?.text ?? '';
  return { js: text('.js'), css: text('.css') };
}

/** esbuild options for the page, shared with scripts/build.mjs (which sets outdir). */
export function pageBuildOptions(root: string) {
  return {
    absWorkingDir: root,
    entryPoints: { app: PAGE_ENTRY },
    bundle: true,
    format: 'esm' as const,
    platform: 'browser' as const,
    target: 'es2020',
    minify: true,
    legalComments: 'none' as const,
    logLevel: 'warning' as const,
  };
}

/**
 * The page's HTML. `csrf` is the token actions must send back (read by the page's own script
 * only); `title` is the project name. Everything it loads comes from this server.
 */
export function pageHtml(csrf: string, title: string): string {
  const name = title.replace(/[<>&"]/g, '');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="berth-csrf" content="${csrf}">
<title>berth · ${name}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/assets/app.css">
<script type="module" src="/assets/app.js"></script>
</head>
<body><div id="app"></div></body>
</html>
`;
}

/** Headers for every page response: nothing may load from or be framed by another origin. */
export const PAGE_SECURITY_HEADERS = {
  'Content-Security-Policy':
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'",
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};
