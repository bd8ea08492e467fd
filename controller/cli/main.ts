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

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  process.stdout.write(`berth ${berthVersion()}\n`);
} else {
  process.exitCode = await runCli(argv);
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
