import { connectEngine } from '../connect-engine.js';
import type { CliContext, CommonOptions } from '../context.js';
import { writeOutput } from '../views/stable-output.js';
import { berthVersion } from '../version.js';

/** What `berth version -o json|yaml` prints: berth's version and the engine's, when it answers. */
export interface VersionReport {
  berth: string;
  engine: {
    address: string;
    /** The engine's own version (`docker version`'s Server Version); absent when unreachable. */
    version?: string;
    /** The Engine API version it speaks; absent when unreachable. */
    apiVersion?: string;
    /** Why it could not be asked; absent when it answered. */
    error?: string;
  };
}

/**
 * `berth version [-o json|yaml]`: berth's version and the connected engine's, as `docker
 * version` and `kubectl version` show client and server. Exit 0; 4 (E_ENGINE_UNREACHABLE)
 * when the engine does not answer, after printing berth's own version, as `docker version`
 * prints its client part and fails.
 */
export async function run(ctx: CliContext, options: CommonOptions): Promise<number> {
  const engine = await connectEngine({ engine: ctx.engineFlag, context: ctx.contextFlag }, ctx.env);
  const answer = await engine.ping().then(
    (v) => ({ version: v.version, apiVersion: v.apiVersion }),
    (e: Error) => ({ error: e.message }),
  );
  const report: VersionReport = {
    berth: berthVersion(),
    engine: { address: engine.address, ...answer },
  };
  await writeOutput(ctx, options.output, report, () => {
    const server =
      'error' in answer
        ? answer.error
        : `${answer.version} (API ${answer.apiVersion}) at ${engine.address}`;
    return `berth:  ${report.berth}\nengine: ${server}\n`;
  });
  return 'error' in answer ? 4 : 0;
}
