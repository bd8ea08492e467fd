// `npm run bench [-- --quick | --smoke] [--out DIR] [--no-build] [--only NAME] [--render]`: berth against its peers,
// side by side (issue 7). See bench/README.md.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rerender, runBench, type Mode } from './lib/bench.js';

const args = process.argv.slice(2);
const mode: Mode = args.includes('--smoke') ? 'smoke' : args.includes('--quick') ? 'quick' : 'full';
const outIndex = args.indexOf('--out');
const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const outDir =
  outIndex >= 0 && args[outIndex + 1]
    ? resolve(args[outIndex + 1] as string)
    : resolve(root, 'bench');

const onlyIndex = args.indexOf('--only');
const only = onlyIndex >= 0 ? args[onlyIndex + 1] : undefined;
const rebuild = mode !== 'smoke' && !args.includes('--no-build');
const results = args.includes('--render')
  ? rerender(root, outDir)
  : await runBench({ mode, root, outDir, rebuild, ...(only ? { only } : {}) });
const missed = results.scenarios.flatMap((s) =>
  s.bars.filter((b) => b.met === false).map((b) => `${s.title}: ${b.text}`),
);
process.stdout.write(
  `wrote ${outDir}/RESULTS.md and results.json; ${missed.length} bar(s) missed\n`,
);
for (const m of missed) process.stdout.write(`  missed: ${m}\n`);
