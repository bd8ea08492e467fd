// `npx tsx bench/import-corpus.ts DIR… [--verbose] [--privileged] [--classes]`: imports every
// Compose file found under the folders (compose.yaml, compose.yml, docker-compose.yml,
// docker-compose.yaml) with `berth import`'s converter, validates the output with `berth
// validate`'s loader, and prints the shares issue 13 judges: converted (exit 0 or 2) and then
// valid (bar 95 %), lossless (bar 80 %). Runs in-process; writes only under a temporary
// folder. `--classes` also prints the most common reasons (each counted once per file): input
// refused, output invalid, and losses, with values, names and numbers blanked so alike
// reasons add up.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { ComposeInputError, importCompose } from '../specs/compose/index.js';
import { loadManifests } from '../specs/index.js';
import { formatProblem } from '../specs/problems.js';
import { policyFor } from '../specs/policy.js';

const NAMES = /^(docker-)?compose\.ya?ml$/;

function findComposeFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) findComposeFiles(path, out);
    else if (NAMES.test(entry.name)) out.push(path);
  }
  return out.sort();
}

/** Outcome of one file: invalid input, converted but invalid output, or valid (lossless or not). */
type Outcome = 'input-error' | 'invalid-output' | 'valid-lossless' | 'valid-lossy';

async function one(
  file: string,
  work: string,
  verbose: boolean,
): Promise<{ outcome: Outcome; losses: number }> {
  const outDir = join(work, 'out');
  let result;
  try {
    result = importCompose({
      files: [file],
      cwd: dirname(file),
      outDir,
      profiles: [],
      ...(privileged && { policy: { policy: PRIVILEGED, name: 'privileged' } }),
    });
  } catch (e) {
    if (!(e instanceof ComposeInputError)) throw e;
    if (verbose) process.stdout.write(`  input: ${e.where.file}:${e.where.line}: ${e.message}\n`);
    tally('input refused', [e.message]);
    return { outcome: 'input-error', losses: 0 };
  }
  mkdirSync(outDir, { recursive: true });
  for (const [name, text] of result.manifests) writeFileSync(join(outDir, name), text);
  for (const [source, name] of result.copies) copyFileSync(source, join(outDir, name));
  writeFileSync(join(outDir, '.env'), result.dotEnv.text);
  const loaded = await loadManifests([outDir], {
    cwd: outDir,
    ...(privileged && { policy: PRIVILEGED }),
  });
  tally(
    'losses',
    result.losses.map((l) => `${l.path.replace(/^services\.[^.]+/, 'services.*')}: ${l.why}`),
  );
  if (loaded.problems.length) {
    tally(
      'invalid output',
      loaded.problems.map((p) => `${p.message.replace(/^\w+ "[^"]*": /, '')} [${p.code}]`),
    );
    if (verbose)
      for (const p of loaded.problems.slice(0, 3))
        process.stdout.write(`  invalid: ${formatProblem(p)}\n`);
    return { outcome: 'invalid-output', losses: result.losses.length };
  }
  return {
    outcome: result.losses.length ? 'valid-lossy' : 'valid-lossless',
    losses: result.losses.length,
  };
}

/** Reason class → files it was seen in, per group (`--classes`). */
const classes = new Map<string, Map<string, number>>();

/** Counts each reason class once for the file at hand. */
function tally(group: string, reasons: string[]): void {
  const counts = classes.get(group) ?? new Map<string, number>();
  classes.set(group, counts);
  for (const reason of new Set(reasons.map(reasonClass)))
    counts.set(reason, (counts.get(reason) ?? 0) + 1);
}

/**
 * A reason with what differs between files blanked: quoted values, paths, numbers, indexes,
 * the names of undeclared volumes and networks.
 */
function reasonClass(reason: string): string {
  return reason
    .replace(/"[^"]*"|'[^']*'/g, '"…"')
    .replace(/(^|[\s(=])\/[^\s:,)]*/g, '$1/…')
    .replace(/\[\d+\]/g, '[i]')
    .replace(/\b\d+\b/g, 'N')
    .replace(/\b(services|volumes|networks|secrets|configs)\.[^.\s:]+/g, '$1.*')
    .replace(
      /\b(undefined )?(volume|network) [\w.${}:-]+( is not declared)?/g,
      (m: string, u?: string, kind?: string, not?: string) =>
        u || not ? `${u ?? ''}${kind ?? ''} …${not ?? ''}` : m,
    )
    .slice(0, 160);
}

const args = process.argv.slice(2);
const verbose = args.includes('--verbose');
// --privileged: import and validate as `--policy privileged` would, to see what only the policy
// refuses (the engine socket, /etc/localtime, host networking, privileged containers…).
const privileged = args.includes('--privileged');
const PRIVILEGED = policyFor('privileged');
const dirs = args.filter((a) => !a.startsWith('--'));
const files = dirs.flatMap((d) => findComposeFiles(d));
const counts: Record<Outcome, number> = {
  'input-error': 0,
  'invalid-output': 0,
  'valid-lossless': 0,
  'valid-lossy': 0,
};
const work = mkdtempSync(join(tmpdir(), 'berth-import-corpus-'));
const started = performance.now();
try {
  for (const file of files) {
    const dir = mkdtempSync(join(work, 'f-'));
    const { outcome, losses } = await one(file, dir, verbose);
    counts[outcome]++;
    if (verbose) process.stdout.write(`${outcome}\t${losses}\t${relative(process.cwd(), file)}\n`);
    rmSync(dir, { recursive: true, force: true });
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
const n = files.length || 1;
const valid = counts['valid-lossless'] + counts['valid-lossy'];
const pct = (x: number) => `${((100 * x) / n).toFixed(1)} %`;
process.stdout.write(
  `${files.length} Compose files in ${((performance.now() - started) / 1000).toFixed(1)} s\n` +
    `converted and valid: ${valid} (${pct(valid)}; bar 95 %)\n` +
    `lossless and valid:  ${counts['valid-lossless']} (${pct(counts['valid-lossless'])}; bar 80 %)\n` +
    `input refused: ${counts['input-error']}, converted but invalid: ${counts['invalid-output']}\n`,
);
if (args.includes('--classes'))
  for (const [group, counts] of classes) {
    process.stdout.write(`\n${group} (files):\n`);
    const top = [...counts].sort((a, b) => b[1] - a[1]).slice(0, 25);
    for (const [reason, count] of top)
      process.stdout.write(`${String(count).padStart(5)}  ${reason}\n`);
  }
