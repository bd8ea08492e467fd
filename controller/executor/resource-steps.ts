import { valueOf } from '../../specs/file-values.js';
import { mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import { builderOnlyFiles, listBuildContext } from '../../specs/index.js';
import type {
  ContainerObject,
  DesiredObject,
  ImageObject,
  NetworkObject,
  VolumeObject,
} from '../../specs/model.js';
import type { Engine, ProgressListener } from '../engine/engine.js';
import { BerthError } from '../errors.js';
import { declaredEngineName, engineName, LABEL, ownershipLabels, sourceLabel } from '../labels.js';
import type { PlanStep } from '../plan/plan-types.js';
import { aliasesOn } from '../plan/container-request.js';

export interface StepContext {
  engine: Engine;
  project: string;
  desired: readonly DesiredObject[];
  onProgress?: ProgressListener;
}

const find = <K extends DesiredObject['kind']>(ctx: StepContext, kind: K, name: string) =>
  ctx.desired.find((o) => o.kind === kind && o.name === name) as
    Extract<DesiredObject, { kind: K }> | undefined;

/**
 * Runs one planned step of an image, network, volume or bind mount (or of a deletion).
 * Idempotent: the engine adapter treats "already so" as success, so a retried step is safe.
 */
export async function runResourceStep(
  step: PlanStep,
  ctx: StepContext,
  engineId?: string,
): Promise<void> {
  const [kind, ...rest] = step.key.split('/');
  const name = rest.join('/');
  switch (`${kind}:${step.action}`) {
    case 'Image:pull': {
      // Registry credentials as docker finds them (DOCKER_CONFIG), and a pinned digest
      // checked after the pull (issue 8). Imported here so this edit stays in its case.
      const { pullWithCredentials } = await import('../registry/pull.js');
      const ref = find(ctx, 'Image', name)?.spec.ref ?? name;
      await pullWithCredentials(ctx.engine, ref, process.env, ctx.onProgress);
      return;
    }
    case 'Image:build':
      await buildImage(requireObject(find(ctx, 'Image', name), step), ctx);
      return;
    case 'Image:tag':
      await ctx.engine.tagImage(step.target ?? '', find(ctx, 'Image', name)?.spec.ref ?? name);
      return;
    case 'Image:remove':
      await ctx.engine.removeImage(engineId ?? name);
      return;
    case 'Network:create':
      await createNetwork(requireObject(find(ctx, 'Network', name), step), ctx);
      return;
    case 'Network:remove':
      // A duplicate of the network's name is removed by its own id (step.target).
      await ctx.engine.removeNetwork(step.target ?? engineId ?? engineName(ctx.project, name));
      return;
    case 'Network:disconnect':
      await ctx.engine.disconnectNetwork(
        engineName(ctx.project, name),
        engineName(ctx.project, step.target ?? ''),
      );
      return;
    case 'Network:connect':
      await connect(ctx, name, step.target ?? '');
      return;
    case 'Volume:create':
      await createVolume(requireObject(find(ctx, 'Volume', name), step), ctx);
      return;
    case 'Volume:remove':
      await ctx.engine.removeVolume(engineId ?? engineName(ctx.project, name));
      return;
    case 'BindMount:ensure-path':
      await ensurePath(requireObject(find(ctx, 'BindMount', name), step).spec);
      return;
    case 'Container:connect':
      await connect(ctx, step.target ?? '', name);
      return;
    case 'Container:stop':
      // The spec may be gone (prune, delete): the container's own stop timeout is its grace period.
      await ctx.engine.stopContainer(engineId ?? engineName(ctx.project, name));
      return;
    case 'Container:remove':
      await ctx.engine.removeContainer(engineId ?? engineName(ctx.project, name));
      return;
    default:
      throw new BerthError(
        'E_INTERNAL',
        `no implementation for step ${step.action} of ${step.key}`,
      );
  }
}

function requireObject<T>(object: T | undefined, step: PlanStep): T {
  if (!object)
    throw new BerthError('E_INTERNAL', `${step.key} is not declared`, { object: step.key });
  return object;
}

async function buildImage(image: ImageObject, ctx: StepContext): Promise<void> {
  const build = image.spec.build;
  if (!build) throw new BerthError('E_INTERNAL', `Image/${image.name} has no build`);
  await ctx.engine.buildImage(
    {
      contextDir: build.context,
      files: await listBuildContext(build.context, build.dockerfile),
      builderOnly: await builderOnlyFiles(build.context, build.dockerfile),
      dockerfile: build.dockerfile,
      tag: image.spec.ref,
      args: build.args,
      target: build.target,
      ...(build.secrets?.length && { secrets: secretValues(build.secrets) }),
      labels: {
        ...image.labels,
        ...ownershipLabels(ctx.project, 'Image', image.name, image.specHash),
        ...sourceLabel(image),
        [LABEL.buildHash]: build.contentHash,
      },
    },
    ctx.onProgress,
  );
}

async function createNetwork(network: NetworkObject, ctx: StepContext): Promise<void> {
  await ctx.engine.createNetwork({
    name: engineName(ctx.project, network.name),
    driver: network.spec.driver,
    internal: network.spec.internal,
    attachable: network.spec.attachable,
    ipam: network.spec.ipam,
    options: network.spec.options,
    labels: {
      ...network.labels,
      ...ownershipLabels(ctx.project, 'Network', network.name, network.specHash),
      ...sourceLabel(network),
    },
  });
}

async function createVolume(volume: VolumeObject, ctx: StepContext): Promise<void> {
  await ctx.engine.createVolume({
    name: engineName(ctx.project, volume.name),
    driver: volume.spec.driver,
    options: volume.spec.options,
    labels: {
      ...volume.labels,
      ...ownershipLabels(ctx.project, 'Volume', volume.name, volume.specHash),
      ...sourceLabel(volume),
      [LABEL.retain]: String(volume.spec.retain),
    },
  });
}

async function connect(ctx: StepContext, network: string, container: string): Promise<void> {
  const declared = find(ctx, 'Container', container) as ContainerObject | undefined;
  const aliases = declared ? aliasesOn(declared, network) : [container];
  await ctx.engine.connectNetwork(
    declaredEngineName(ctx.project, ctx.desired, 'Network', network),
    engineName(ctx.project, container),
    aliases,
  );
}

/** Creates a missing host path; never truncates, empties or removes one. */
async function ensurePath(spec: { hostPath: string; type: string }): Promise<void> {
  if (spec.type === 'FileOrCreate') {
    await mkdir(dirname(spec.hostPath), { recursive: true });
    const handle = await open(spec.hostPath, 'a');
    await handle.close();
    return;
  }
  await mkdir(spec.hostPath, { recursive: true });
}

/** The values of build secrets read when the manifests were loaded (in memory, by digest). */
function secretValues(secrets: { id: string; digest: string }[]): Record<string, Buffer> {
  return Object.fromEntries(secrets.map((s) => [s.id, valueOf(s.digest) ?? Buffer.alloc(0)]));
}
