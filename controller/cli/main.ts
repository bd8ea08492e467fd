// The CLI entry. `--version` answers before anything else loads, so it costs about as
// much as starting node; every command loads its own modules when it runs.
import { fileURLToPath } from 'node:url';
import { loadCachedBundle } from './cached-bundle.js';
import { endQuietlyWhenOutputCloses } from './closed-output.js';
import { startYamlHelperFor } from './yaml-helper-start.js';
import type * as Program from './program.js';
import { berthVersion } from './version.js';

/** The CommonJS bundle of the CLI (dist/chunks/cli-HASH.cjs), named by scripts/build.mjs; unset from source. */
declare const BERTH_CLI_BUNDLE: string | undefined;
/** The YAML worker (specs/parse/yaml-worker.ts, dist/chunks/yaml-worker-HASH.cjs); unset from source. */
declare const BERTH_YAML_WORKER: string | undefined;

/**
 * Verbs run from that bundle with a code cache (cached-bundle.ts), the ones a start-up bar
 * measures; the rest load their ES modules, which Node 20 cannot cache.
 */
const CACHED_VERBS = new Set(['validate']);

endQuietlyWhenOutputCloses();

/** How long a finished command waits for its last writes before it exits, in ms. */
const LINGER_MS = 2_000;

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  process.stdout.write(`berth ${berthVersion()}\n`);
} else {
  process.exitCode = await runCli(argv);
  // A command that is done ends even if a call to an engine that never answers is still open
  // (F469); unref'd, so a process with nothing left open ends at once as before.
  setTimeout(() => process.exit(), LINGER_MS).unref();
  // After the ticks a failed write queues (closed-output.ts ends a closed pipe with exit 0).
  if (CACHED_VERBS.has(argv[0] ?? '')) setImmediate(endOnceWritten, process.exitCode);
}

async function runCli(args: string[]): Promise<number> {
  const cached = typeof BERTH_CLI_BUNDLE === 'string' && CACHED_VERBS.has(args[0] ?? '');
  // Before the bundle loads: the worker gets ready on the other core meanwhile.
  const yamlHelper =
    cached && args[0] === 'validate' && typeof BERTH_YAML_WORKER === 'string'
      ? startYamlHelperFor(
          args.slice(1),
          fileURLToPath(new URL(`chunks/${BERTH_YAML_WORKER}`, import.meta.url)),
        )
      : undefined;
  const bundled = cached
    ? loadCachedBundle<typeof Program>(
        fileURLToPath(new URL(`chunks/${BERTH_CLI_BUNDLE}`, import.meta.url)),
      )
    : undefined;
  if (!bundled) return (await import('./program.js')).runCli(args);
  bundled.exports.installYamlHelper(yamlHelper);
  const code = await bundled.exports.runCli(args);
  bundled.saveCache();
  return code;
}

/**
 * Ends the process as soon as a verb that leaves nothing running has written its output.
 * Left to end by itself, node first waits for the work V8 queued on its own threads (a
 * garbage collection step, optimised code for functions that will not run again): 20–30 ms
 * after the last line of a 1,000-object validate (issue 12). Only when stdout and stderr hold
 * nothing unwritten (on Linux their writes to files, pipes and terminals are synchronous),
 * so no output is ever cut off.
 */
function endOnceWritten(code: number): void {
  const written = (stream: NodeJS.WriteStream) => !stream.destroyed && stream.writableLength === 0;
  if (written(process.stdout) && written(process.stderr)) process.exit(code);
}
