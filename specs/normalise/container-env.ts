import { readFile } from 'node:fs/promises';
import { refuseHostPath } from './host-path.js';
import { resolveManifestPath } from './paths.js';
import { parseEnvFile } from '../interpolate/env-file.js';
import type { NormaliseContext } from './context.js';
import { ioReason } from '../read/io-reason.js';

/**
 * `spec.envFiles`, read in order (later files win) relative to the manifest, with the same
 * reader as `.env` (specs/interpolate/env-file.ts). As Compose v2 reads `env_file`
 * (compose-go `WithServicesEnvironmentResolved`), `${VAR}` in a value resolves from the
 * project's variables (`ctx.variables`), then the container's own `env`, then earlier
 * files and lines. A missing file (E_IO), a line that is not `NAME=VALUE` (E_ENV_FILE) or
 * a `${…}` that does not resolve (`${VAR?message}`, E_UNSET_VAR; E_INTERPOLATION) is a
 * problem at the `envFiles` entry, naming the env file's own `path:line:column`. A plain
 * `${VAR}` whose VAR is unset is left blank, as docker compose leaves it in an env_file
 * (F188: an imported project that runs under Compose must run under berth), and is a
 * warning at the same place.
 */
export async function readEnvFiles(
  written: string[] | undefined,
  ctx: NormaliseContext,
  ownEnv: Readonly<Record<string, string>> = {},
): Promise<{ paths: string[]; values: Record<string, string> }> {
  const paths = (written ?? []).map((file) => resolveManifestPath(ctx.baseDir, file));
  const values: Record<string, string> = {};
  const lookup = (name: string): string | undefined =>
    ctx.variables?.(name) ?? (Object.hasOwn(ownEnv, name) ? ownEnv[name] : undefined);
  for (const [index, path] of paths.entries()) {
    const at = ['spec', 'envFiles', index];
    // Its values reach the container's environment: judged as a host path (F103: envFiles of
    // /proc/self/environ copied berth's own environment, secrets included, into Config.Env).
    if (refuseHostPath(path, at, ctx)) continue;
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (e) {
      ctx.report('E_IO', at, `${path} ${ioReason(e)}`);
      continue;
    }
    const parsed = parseEnvFile(text, { lookup, earlier: values, blankUnset: true });
    if ('variables' in parsed) {
      Object.assign(values, parsed.variables);
      for (const { line, column, code, message } of parsed.blanked ?? [])
        ctx.warn(code, at, `${path}:${line}:${column}: ${message}`);
    } else {
      const { line, column, code, message } = parsed.error;
      ctx.report(code, at, `${path}:${line}:${column}: ${message}`);
    }
  }
  return { paths, values };
}
