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
  external: ['dockerode'],
  define: { BERTH_VERSION: JSON.stringify(pkg.version) },
  banner: {
    js: "import { createRequire as __berthRequire } from 'node:module'; const require = __berthRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
