import { formatProblem, formatWarning, problemFields } from '../../../specs/problems.js';
import { loadManifests } from '../../../specs/index.js';
import type { CliContext } from '../context.js';
import { writeOutput } from '../views/stable-output.js';
import { readAllStdin } from '../load-input.js';
import { policyFromFlags, type PolicyFlags } from '../policy-flags.js';

interface ValidateOptions extends PolicyFlags {
  filename: string[];
  output?: 'text' | 'json' | 'yaml';
}

/** `berth validate -f PATH…`: every problem of every file; exit 0 valid, 1 invalid. Touches no engine. */
export async function run(ctx: CliContext, options: ValidateOptions): Promise<number> {
  const stdin = options.filename.includes('-') ? await readAllStdin(ctx.stdin) : undefined;
  const result = await loadManifests(options.filename, {
    stdin,
    cwd: ctx.cwd,
    env: ctx.env,
    envFiles: ctx.envFiles,
    policy: policyFromFlags(options, ctx.cwd, ctx),
    hash: false,
  });
  if (options.output === 'json' || options.output === 'yaml') {
    const list = result.problems.map(problemFields);
    await writeOutput(ctx, options.output, list, () => '');
    return list.length ? 1 : 0;
  }
  for (const w of result.warnings) ctx.stderr.write(formatWarning(w) + '\n');
  for (const p of result.problems) ctx.stdout.write(formatProblem(p) + '\n');
  const files = result.files.length;
  // What the user declared: a replicated container once, the implied default network apart.
  const declared = result.set.objects.filter(
    (o) =>
      !(o.kind === 'Network' && o.implied) &&
      !(o.kind === 'Container' && (o.replica?.index ?? 1) > 1),
  );
  const objects = declared.length;
  const implied = result.set.objects.some((o) => o.kind === 'Network' && o.implied);
  if (result.problems.length) {
    const n = result.problems.length;
    ctx.stderr.write(
      `${n} problem${n === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'}\n`,
    );
    return 1;
  }
  ctx.stdout.write(
    `valid: ${objects} object${objects === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'}${implied ? ' (+ the default network)' : ''}\n`,
  );
  return 0;
}
