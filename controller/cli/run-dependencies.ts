import type { ContainerObject, DesiredObject, ObjectKey } from '../../specs/model.js';
import type { Engine } from '../engine/engine.js';
import { rememberMountedSecrets } from '../records/mounted-secrets.js';
import { waitForCondition } from '../executor/wait-condition.js';
import { BerthError } from '../errors.js';
import { engineName } from '../labels.js';
import { readLastApplied } from '../records/index.js';
import { liveHolders } from '../watch/lock.js';
import type { CliContext } from './context.js';
import { applyJob } from './commands/apply.js';

export interface RunDependencies {
  project: string;
  /** The set the one-off is run from (`-f`, else the last applied set). */
  declared: DesiredObject[];
  /** The `-f` paths (history's source), none when run from the last applied set. */
  files: string[];
  container: ContainerObject;
  /**
   * `--no-deps`: the networks, volumes and image only; no dependsOn container, no wait. Not a
   * refusal ("apply first"): `docker compose run --no-deps` still creates the project's
   * networks and volumes (its Create step runs with the dependencies left out), and a
   * Compose user running a one-off against a stack that is down expects the same.
   */
  noDeps: boolean;
  /** Unix ms by which the dependencies must have converged and met their conditions. */
  deadline: number;
  /** `--timeout`, as given (apply's messages name it). */
  timeout: string;
}

/**
 * Brings what a one-off needs to its declaration before it is created, as `docker compose
 * run` does (F269: the create failed with the engine's `network … not found`, and a stopped
 * dependency was left stopped): the container's networks, volumes and image, and its
 * `dependsOn` containers with their own dependencies — through apply's path (observe, plan,
 * execute of that part of the plan only, under the project's writer lock, recorded in
 * history when anything ran) — then waits until each dependency meets its condition
 * (started, healthy, completed). The container run from is never created itself. With a
 * `berth watch` owning the project nothing is converged here (the watch does it; two writers
 * would fight): only the conditions are waited for. Returns 0, or apply's exit code when the
 * dependencies did not converge (its report is on stderr; stdout is the one-off's).
 */
export async function prepareDependencies(
  ctx: CliContext,
  engine: Engine,
  input: RunDependencies,
): Promise<number> {
  const { project, container } = input;
  const watching = await liveHolders(ctx.stateDir, project);
  if (watching.length > 0) {
    const pid = watching[0]?.pid;
    ctx.stderr.write(`note: berth watch (pid ${pid}) converges project ${project}; not run's\n`);
  } else {
    const code = await convergeDependencies(ctx, input);
    if (code !== 0) {
      ctx.stderr.write(
        `error: the dependencies of Container/${container.name} did not converge; the one-off was not run\n`,
      );
      return code;
    }
  }
  // `--no-deps` waits for nothing, as compose run: the one-off starts at once. A reason
  // quoting a dependency's probe hides the Secrets it mounts, also when a watch converged it
  // and this process read none of them (F562).
  if (input.noDeps) return 0;
  await rememberMountedSecrets(ctx.stateDir, project);
  await waitForDependsOn(ctx, engine, input);
  return 0;
}

/**
 * The partial apply (ApplyJob `only`), reporting on stderr; history names the `-f` paths, else
 * the sources of the last applied set it runs from.
 */
async function convergeDependencies(ctx: CliContext, input: RunDependencies): Promise<number> {
  const started = ctx.now();
  const of = `Container/${input.container.name}` as ObjectKey;
  const last = input.files.length ? undefined : await readLastApplied(ctx.stateDir, input.project);
  return applyJob(
    { ...ctx, stdout: ctx.stderr },
    {
      project: input.project,
      desired: input.declared,
      options: { filename: input.files, timeout: input.timeout, parallel: '8' },
      started,
      timeoutMs: Math.max(0, input.deadline - started),
      parallel: 8,
      ...(last?.ok ? { sources: last.value.sources } : {}),
      message: `run ${input.container.name}: its dependencies`,
      only: { of, containers: !input.noDeps },
    },
  );
}

/**
 * Each `dependsOn` of the container meets its condition, as the executor waits for a
 * declared container's (executor/execute.ts waitForDependsOn); rejects with E_CONVERGE
 * (exit 2) naming the dependency that does not, before the one-off is created.
 */
async function waitForDependsOn(
  ctx: CliContext,
  engine: Engine,
  input: RunDependencies,
): Promise<void> {
  for (const dep of input.container.spec.dependsOn) {
    const target = {
      engineName: engineName(input.project, dep.container),
      key: `Container/${dep.container}`,
    };
    try {
      await waitForCondition(engine, target, dep.condition, input.deadline, ctx.now);
    } catch (e) {
      if (!(e instanceof BerthError) || e.code !== 'E_CONVERGE') throw e;
      throw new BerthError(
        'E_CONVERGE',
        `${e.message}; Container/${input.container.name} was not run`,
        {
          object: target.key,
        },
      );
    }
  }
}
