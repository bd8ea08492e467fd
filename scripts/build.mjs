// Bundles the CLI into dist/. Heavy modules (the engine client) stay in their own chunks
// and are imported only by the commands that talk to the engine, so `berth --version`
// costs little more than starting node.
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

// Chunk names carry content hashes: start clean so old chunks do not pile up.
rmSync(new URL('../dist/', import.meta.url), { recursive: true, force: true });

await build({
  entryPoints: { berth: 'controller/cli/main.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  // dockerode pulls optional native modules (ssh2, cpu-features): load it from node_modules.
  // esbuild is only for bundling the web page when berth runs from source (controller/web/assets.ts).
  external: ['dockerode', 'esbuild'],
  define: { BERTH_VERSION: JSON.stringify(pkg.version) },
  banner: {
    js: "import { createRequire as __berthRequire } from 'node:module'; const require = __berthRequire(import.meta.url);",
  },
  logLevel: 'warning',
});

// The web view's page (issue 16): preact + htm + berth's own code, one small ESM file and its
// CSS, served by `berth watch` from dist/web/ (same options as controller/web/assets.ts).
await build({
  entryPoints: { app: 'controller/web/page/main.ts' },
  outdir: 'dist/web',
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2020',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
});
