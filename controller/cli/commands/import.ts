import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import {
  ComposeInputError,
  IMPORT_HEADER,
  defaultComposeFiles,
  importCompose,
  policyFlagsFor,
} from '../../../specs/compose/index.js';
import type { ImportResult } from '../../../specs/compose/index.js';
import { invalidProjectName } from '../../../specs/compose/project-name.js';
import { visibleText } from '../../../specs/visible-text.js';
import { BerthError } from '../../errors.js';
import type { CliContext } from '../context.js';
import { composeSettings } from '../compose-settings.js';
import { refuseForeignManifests } from '../import-overwrite.js';
import { refuseUnreadableEnvFiles } from '../import-env-files.js';
import { digestOf, refuseEditedOutputs, writeImportRecord } from '../import-record.js';
import { policyFromFlags, type PolicyFlags } from '../policy-flags.js';

interface ImportOptions extends PolicyFlags {
  filename?: string[];
  engine?: string;
  output?: string;
  project?: string;
  profile?: string[];
  force?: boolean;
}

/**
 * `berth import [-f compose.yaml…] [-o DIR] [-p NAME] [--profile P…] [--policy P]
 * [--allow-host-path PATH…]`: Compose files → berth manifests, printed or written to DIR with
 * `.env` and env files beside them, fitted to the policy they will be applied under (what it
 * refuses is a loss, specs/compose/policy-fit.ts).
 * COMPOSE_FILE, COMPOSE_PROJECT_NAME and COMPOSE_PROFILES (from the environment, else from
 * `.env`: the working folder's for COMPOSE_FILE, the project folder's — the first Compose
 * file's — for the others) stand in for -f, -p and --profile, as in docker compose.
 * Exit 0 lossless, 2 written with losses (each named on stderr), 1 invalid input (every
 * problem named as `file:line:col: message [CODE]`, nothing written) or an output file of
 * the same name that berth import did not write (F271; `--force` writes over it).
 */
export async function run(ctx: CliContext, options: ImportOptions): Promise<number> {
  const outDir = resolve(ctx.cwd, options.output ?? '.');
  let result: ImportResult;
  let outputs: Outputs | undefined;
  try {
    const files = options.filename?.length
      ? options.filename
      : (composeSettings(ctx.cwd, ctx.env).files ?? defaultComposeFiles(ctx.cwd));
    // As Compose: the project folder is the first file's, and its `.env` names the project
    // and profiles wherever import runs from (F197).
    const settings = composeSettings(dirname(resolve(ctx.cwd, files[0] ?? '.')), ctx.env);
    result = importCompose({
      files,
      cwd: ctx.cwd,
      outDir,
      projectName: givenProjectName(options.project, settings.project),
      profiles: options.profile ?? settings.profiles,
      env: ctx.env,
      copyFiles: options.output !== undefined,
      policy: {
        policy: policyFromFlags(options, ctx.cwd, {
          engineFlag: options.engine,
          env: ctx.env,
          stateDir: ctx.stateDir,
        }),
        name: options.policy ?? 'baseline',
      },
    });
    refuseUnreadableEnvFiles(result, ctx.cwd);
    if (options.output) refuseOutputHoldingInput(result.files, ctx.cwd, outDir);
    if (options.output)
      refuseForeignManifests(outDir, result.manifests.keys(), ctx.cwd, options.force);
    if (options.output) outputs = plannedOutputs(result, outDir, ctx.cwd, options.force);
  } catch (e) {
    if (!(e instanceof ComposeInputError)) throw e;
    for (const { where, message, code } of e.problems)
      say(ctx, `${where.file}:${where.line}:${where.column}: ${message} [${code}]`);
    const n = e.problems.length;
    if (n > 1) ctx.stderr.write(`${n} problems; nothing written\n`);
    return 1;
  }
  if (outputs) writeOut(ctx, result, outDir, outputs);
  else printOut(ctx, result);
  for (const { where, message } of result.warnings)
    say(ctx, `${where.file}:${where.line}:${where.column}: warning: ${message}`);
  for (const loss of result.losses) {
    const { file, line, column } = loss.where;
    say(ctx, `${file}:${line}:${column}: ${loss.path}: not supported: ${loss.why}`);
  }
  if (result.losses.length) {
    const n = result.losses.length;
    ctx.stderr.write(`${n} field${n === 1 ? '' : 's'} could not be carried over\n`);
  }
  return result.losses.length ? 2 : 0;
}

/**
 * `berth apply -f DIR` reads every YAML file below DIR, so an output folder that holds a
 * Compose file import read (`-o .` in the Compose folder) gives a project apply refuses
 * (F192a: `compose.yaml:1:1: a Compose file, not a berth manifest`). Refused before
 * anything is written, at the first such file.
 */
function refuseOutputHoldingInput(files: string[], cwd: string, outDir: string): void {
  const inside = files.find((file) => {
    const rel = relative(outDir, resolve(cwd, file));
    return !rel.startsWith('..') && !isAbsolute(rel) && /\.ya?ml$/i.test(file);
  });
  if (inside === undefined) return;
  const shown = relative(cwd, outDir) || '.';
  throw new ComposeInputError(
    { file: inside, line: 1, column: 1 },
    `the output folder ${shown} holds this Compose file, which berth apply -f ${shown} would read as a manifest: write the manifests to a folder of their own (e.g. -o berth)`,
  );
}

/** What `-o DIR` writes (file name → bytes) and removes (stale manifests of an earlier import). */
interface Outputs {
  writes: Map<string, string | Buffer>;
  stale: string[];
}

/**
 * The files import writes into `outDir` and the ones it removes, refused (before anything is
 * written) when one of them was edited since an earlier import wrote it (F542; `force`).
 * A `.env` built on the output folder's own `.env` (the project has none) keeps its lines, so
 * it is not checked.
 */
function plannedOutputs(
  result: ImportResult,
  outDir: string,
  cwd: string,
  force?: boolean,
): Outputs {
  const writes = new Map<string, string | Buffer>(result.manifests);
  for (const [source, name] of result.copies)
    if (resolve(source) !== resolve(outDir, name)) writes.set(name, readFileSync(source));
  // Never into the Compose project's own folder: that `.env` is the user's, read by compose.
  if (resolve(result.projectDir) !== outDir) writes.set('.env', result.dotEnv.text);
  const stale = existsSync(outDir) ? staleManifests(outDir, result.manifests) : [];
  const checked = [...writes]
    .filter(([name]) => name !== '.env' || result.dotEnv.source !== undefined)
    .map(([name, text]) => ({ name, text }));
  refuseEditedOutputs(outDir, [...checked, ...stale.map((name) => ({ name }))], cwd, force);
  return { writes, stale };
}

function writeOut(ctx: CliContext, result: ImportResult, outDir: string, outputs: Outputs): void {
  mkdirSync(outDir, { recursive: true });
  const { writes, stale } = outputs;
  for (const name of stale) unlinkSync(join(outDir, name));
  if (stale.length)
    ctx.stdout.write(
      `removed ${stale.join(', ')}: written by an earlier import, not by this one\n`,
    );
  for (const [name, bytes] of writes) writeFileSync(join(outDir, name), bytes);
  writeImportRecord(outDir, new Map([...writes].map(([name, bytes]) => [name, digestOf(bytes)])));
  const namesProject = writes.has('.env');
  const shown = relative(ctx.cwd, outDir) || '.';
  const project = namesProject ? '' : ` -p ${result.projectName}`;
  const named = namesProject
    ? `; ${join(shown, '.env')} names the project ${result.projectName}`
    : '';
  const n = result.objects.length;
  const flags = policyFlagsFor(result.objects)
    .map((f) => ` ${f}`)
    .join('');
  ctx.stdout.write(
    visibleText(
      `imported ${n} object${n === 1 ? '' : 's'} from ${result.files.join(', ')} into ${shown}/ ` +
        `(apply with: berth apply -f ${shown}${project}${flags}${named})`,
    ) + '\n',
  );
}

/**
 * One line on stderr. Problems, warnings and losses quote the Compose input (keys, values,
 * file names), which may hold terminal escapes: shown as `\xNN` (F345, as F277 for engine text).
 */
function say(ctx: CliContext, line: string): void {
  ctx.stderr.write(visibleText(line) + '\n');
}

function printOut(ctx: CliContext, result: ImportResult): void {
  const texts = [...result.manifests.entries()].map(([name, text]) => `# file: ${name}\n${text}`);
  ctx.stdout.write(texts.join('---\n'));
}

/**
 * Manifests an earlier `berth import` wrote into `outDir` (they start with its header) that
 * this import does not write: a service taken out of the Compose file would otherwise still
 * be applied from the folder. Files without the header are never touched.
 */
function staleManifests(outDir: string, written: ReadonlyMap<string, string>): string[] {
  return readdirSync(outDir, { withFileTypes: true })
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name) && !written.has(e.name))
    .map((e) => e.name)
    .filter((name) => readFileSync(join(outDir, name), 'utf8').startsWith(IMPORT_HEADER))
    .sort();
}

/**
 * The project name import is given (`-p`, else COMPOSE_PROJECT_NAME), refused with E_USAGE
 * (exit 1) when it is not a valid project name, as docker compose refuses it (F191).
 */
function givenProjectName(
  flag: string | undefined,
  setting: string | undefined,
): string | undefined {
  const name = flag ?? setting;
  const why = name === undefined ? undefined : invalidProjectName(name);
  if (why === undefined) return name;
  throw new BerthError(
    'E_USAGE',
    `${why} (from ${flag !== undefined ? '-p/--project' : 'COMPOSE_PROJECT_NAME'})`,
  );
}
