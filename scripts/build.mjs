// Bundles the CLI into dist/. Heavy modules (the engine client) stay in their own chunks
// and are imported only by the commands that talk to the engine, so `berth --version`
// costs little more than starting node.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { basename } from 'node:path';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

// Chunk names carry content hashes: start clean so old chunks do not pile up.
rmSync(new URL('../dist/', import.meta.url), { recursive: true, force: true });

// dockerode pulls optional native modules (ssh2, cpu-features): load it from node_modules.
// esbuild is only for bundling the web page when berth runs from source (controller/web/assets.ts).
const external = ['dockerode', 'esbuild'];

// The whole CLI as one CommonJS file, for the verbs that start from it with a V8 code cache
// (controller/cli/cached-bundle.ts). In dist/chunks/ beside the ES chunks, so paths relative
// to a module (the schemas, node_modules) resolve the same from both. Every start reads and
// decodes all of it: whitespace and comments out, and packages those verbs never load stay
// in node_modules; pure ASCII, so the text decodes as one byte a character.
// The bundle serves only the verbs main.ts runs from it (CACHED_VERBS: validate). Every other
// verb's command module is loaded by a dynamic import when that verb runs, from the ES chunks;
// left in, they doubled what each validate reads, decodes and deserialises (1.5 MB, issue 12's
// start-up bar). Here they resolve to a module that says so if anything ever loads one.
const CACHED_COMMANDS = /\/commands\/validate\.js$/;
const onlyCachedVerbs = {
  name: 'only-cached-verbs',
  setup(b) {
    b.onResolve({ filter: /\/(commands\/[a-z-]+|connect-engine)\.js$/ }, (args) =>
      args.kind === 'dynamic-import' && !CACHED_COMMANDS.test(args.path)
        ? { path: args.path, namespace: 'not-in-bundle' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'not-in-bundle' }, (args) => ({
      contents: `throw new Error(${JSON.stringify(`internal: ${args.path} is not in the validate bundle (scripts/build.mjs)`)});`,
      loader: 'js',
    }));
  },
};
const cjs = await build({
  plugins: [onlyCachedVerbs],
  // The YAML worker of a large validate (specs/parse/yaml-helper.ts): js-yaml and no more.
  entryPoints: { cli: 'controller/cli/program.ts', 'yaml-worker': 'specs/parse/yaml-worker.ts' },
  outdir: 'dist',
  entryNames: 'chunks/[name]-[hash]',
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  outExtension: { '.js': '.cjs' },
  minifyWhitespace: true,
  charset: 'ascii',
  external: [...external, '@grpc/grpc-js', 'protobufjs', 'xstate', 'chokidar'],
  define: {
    BERTH_VERSION: JSON.stringify(pkg.version),
    'import.meta.url': '__berthImportMetaUrl',
  },
  banner: {
    js: "const __berthImportMetaUrl = require('node:url').pathToFileURL(__filename).href;",
  },
  metafile: true,
  logLevel: 'warning',
});
const cjsOutput = (entry) =>
  basename(
    Object.keys(cjs.metafile.outputs).find(
      (file) => file.endsWith('.cjs') && basename(file).startsWith(`${entry}-`),
    ) ?? '',
  );
const cliBundle = cjsOutput('cli');
const yamlWorker = cjsOutput('yaml-worker');

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
  external,
  define: {
    BERTH_VERSION: JSON.stringify(pkg.version),
    BERTH_CLI_BUNDLE: JSON.stringify(cliBundle),
    BERTH_YAML_WORKER: JSON.stringify(yamlWorker),
  },
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

// The code cache: the first validate writes it, with the functions validate runs compiled.
// Only a warm-up: without it the first validate a user runs writes the cache instead.
try {
  execFileSync(process.execPath, ['bin/berth.mjs', 'validate', '-f', 'examples/'], {
    cwd: new URL('..', import.meta.url),
    stdio: ['ignore', 'ignore', 'inherit'],
  });
} catch (e) {
  console.warn(
    `build: the validate code cache was not written (${e.message}); the first run writes it`,
  );
}
