import { loadManifests, type LoadResult } from '../../specs/index.js';
import { formatWarning } from '../../specs/problems.js';
import { BerthError } from '../errors.js';
import type { CliContext } from './context.js';
import { policyFromFlags, type PolicyFlags } from './policy-flags.js';

/** Reads all of stdin as text (for `-f -`). */
export async function readAllStdin(stdin: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Loads the manifests named by `-f`. Any problem in any file refuses the whole input
 * (E_MANIFEST, exit 1) before anything touches the engine; warnings go to stderr.
 */
export async function loadInput(
  ctx: CliContext,
  paths: string[],
  flags: PolicyFlags = {},
  /** `--backend swarm`: host ports are per node (specs LoadOptions.portsPerNode). */
  portsPerNode = false,
): Promise<LoadResult> {
  const stdin = paths.includes('-') ? await readAllStdin(ctx.stdin) : undefined;
  const result = await loadManifests(paths, {
    stdin,
    cwd: ctx.cwd,
    env: ctx.env,
    envFiles: ctx.envFiles,
    policy: policyFromFlags(flags, ctx.cwd, ctx),
    ...(portsPerNode ? { portsPerNode } : {}),
  });
  for (const w of result.warnings) ctx.stderr.write(formatWarning(w) + '\n');
  if (result.problems.length > 0) {
    const n = result.problems.length;
    throw new BerthError(
      'E_MANIFEST',
      `${n} problem${n === 1 ? '' : 's'} in the manifests; nothing was changed`,
      {
        problems: result.problems,
      },
    );
  }
  return result;
}
