// The CLI entry. `--version` answers before anything else loads, so it costs about as
// much as starting node; every command loads its own modules when it runs.
import { endQuietlyWhenOutputCloses } from './closed-output.js';
import { berthVersion } from './version.js';

endQuietlyWhenOutputCloses();

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  process.stdout.write(`berth ${berthVersion()}\n`);
} else {
  const { runCli } = await import('./program.js');
  process.exitCode = await runCli(argv);
}
