import { valueOf } from '../../specs/file-values.js';
import { mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import { builderOnlyFiles, buildKey, listBuildContext } from '../../specs/index.js';
import type {
  ContainerObject,
  DesiredObject,
  ImageObject,
  Kind,
  NetworkObject,
  VolumeObject,
} from '../../specs/model.js';
import type { Engine, ObservedState, ProgressListener } from '../engine/engine.js';
import { EngineError, isEngineError } from '../engine/engine.js';
import { hideSecretValues } from '../lifecycle/output-excerpt.js';
import { BerthError } from '../errors.js';
import {
  declaredEngineName,
  engineName,
  LABEL,
  ownershipLabels,
  resourceEngineName,
  sourceLabel,
} from '../labels.js';
import type { PlanStep } from '../plan/plan-types.js';
import { aliasesOn } from '../plan/container-request.js';
import { defaultFilesDir } from '../plan/file-mount-paths.js';
import { mountedBy, releaseFileMounts } from './file-release.js';

export interface StepContext {
  engine: Engine;
  project: string;
  desired: readonly DesiredObject[];
  onProgress?: ProgressListener;
  /** The observation the plan was made on: a removed container's files go with it. */
  observed?: ObservedState;
  /** berth's state directory, where secret and config files are written. */
  filesDir?: string;
  /** Ctrl-C: a build under way is cancelled (F194). */
  signal?: AbortSignal;
}

const find = <K extends DesiredObject['kind']>(ctx: StepContext, kind: K, name: string) =>
  ctx.desired.find((o) => o.kind === kind && o.name === name) as
    Extract<DesiredObject, { kind: K }> | undefined;

/** One step's runner: `name` is the object's name from the step key, `engineId` its engine id. */
type StepRunner = (
  step: PlanStep,
  ctx: StepContext,
  name: string,
  engineId?: string,
) => Promise<unknown>;

/**
 * How each kind runs each of its step actions (issue 17: per kind, not one switch). A kind
 * missing here does not compile; an action missing is an E_INTERNAL error when planned.
 */
const STEP_RUNNERS: { readonly [K in Kind]: Readonly<Record<string, StepRunner>> } = {
  Image: {
    pull: async (_step, ctx, name) => {
      // Registry credentials as docker finds them (DOCKER_CONFIG), and a pinned digest
      // checked after the pull (issue 8). Loaded only when an image is pulled.
      const { pullWithCredentials } = await import('../registry/pull.js');
      const ref = find(ctx, 'Image', name)?.spec.ref ?? name;
      await pullWithCredentials(ctx.engine, ref, process.env, ctx.onProgress);
    },
    build: (step, ctx, name) => buildImage(requireObject(find(ctx, 'Image', name), step), ctx),
    tag: (step, ctx, name) =>
      ctx.engine.tagImage(step.target ?? '', find(ctx, 'Image', name)?.spec.ref ?? name),
    remove: (_step, ctx, name, engineId) => ctx.engine.removeImage(engineId ?? name),
  },
  Network: {
    create: (step, ctx, name) =>
      createNetwork(requireObject(find(ctx, 'Network', name), step), ctx),
    // A duplicate of the network's name is removed by its own id (step.target).
    remove: (step, ctx, name, engineId) =>
      ctx.engine.removeNetwork(step.target ?? engineId ?? declaredName(ctx, 'Network', name)),
    // By id: a network recreated under another engine name (spec.name) is left by its old one.
    disconnect: (step, ctx, name, engineId) =>
      ctx.engine.disconnectNetwork(
        engineId ?? declaredName(ctx, 'Network', name),
        engineName(ctx.project, step.target ?? ''),
      ),
    connect: (step, ctx, name) => connect(ctx, name, step.target ?? ''),
  },
  Volume: {
    create: (step, ctx, name) => createVolume(requireObject(find(ctx, 'Volume', name), step), ctx),
    remove: (_step, ctx, name, engineId) =>
      ctx.engine.removeVolume(engineId ?? declaredName(ctx, 'Volume', name)),
  },
  BindMount: {
    'ensure-path': (step, ctx, name) =>
      ensurePath(requireObject(find(ctx, 'BindMount', name), step).spec),
  },
  // A container's create/start/replace steps are run by the container machine, not here.
  Container: {
    // By id where it has one: a replica connected again before its rename (scale-renames.ts)
    // still has its old engine name.
    connect: (step, ctx, name, engineId) => connect(ctx, step.target ?? '', name, engineId),
    disconnect: (step, ctx, name, engineId) =>
      ctx.engine.disconnectNetwork(
        declaredEngineName(ctx.project, ctx.desired, 'Network', step.target ?? ''),
        engineId ?? engineName(ctx.project, name),
      ),
    // The spec may be gone (prune, delete): the container's own stop timeout is its grace period.
    stop: (_step, ctx, name, engineId) =>
      ctx.engine.stopContainer(engineId ?? engineName(ctx.project, name)),
    remove: async (_step, ctx, name, engineId) => {
      const removed = await ctx.engine.removeContainer(engineId ?? engineName(ctx.project, name));
      await releaseRemoved(ctx, name, engineId);
      return removed;
    },
  },
  // Written into the containers that mount them: no steps of their own.
  Secret: {},
  Config: {},
};

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
  const runners: Readonly<Record<string, StepRunner>> | undefined = Object.hasOwn(
    STEP_RUNNERS,
    kind ?? '',
  )
    ? STEP_RUNNERS[kind as Kind]
    : undefined;
  const run = runners && Object.hasOwn(runners, step.action) ? runners[step.action] : undefined;
  if (!run)
    throw new BerthError('E_INTERNAL', `no implementation for step ${step.action} of ${step.key}`);
  await run(step, ctx, rest.join('/'), engineId);
}

/**
 * The Secret and Config files of a container this step removed (prune, delete, down, a
 * replica scaled away) go with it, but for those another container still mounts (F123).
 */
async function releaseRemoved(ctx: StepContext, name: string, engineId?: string): Promise<void> {
  const containers = ctx.observed?.containers ?? [];
  const byName = engineName(ctx.project, name);
  const removed = containers.find((c) => (engineId ? c.id === engineId : c.name === byName)) ?? {
    name: byName,
    labels: { [LABEL.project]: ctx.project, [LABEL.name]: name },
  };
  const others = containers.filter((c) => c !== removed);
  const filesDir = ctx.filesDir ?? defaultFilesDir();
  await releaseFileMounts(filesDir, ctx.project, removed, mountedBy(others));
}

/** The engine name of declared network or volume `name` (labels.ts `resourceEngineName`). */
function declaredName(ctx: StepContext, kind: 'Network' | 'Volume', name: string): string {
  return declaredEngineName(ctx.project, ctx.desired, kind, name);
}

function requireObject<T>(object: T | undefined, step: PlanStep): T {
  if (!object)
    throw new BerthError('E_INTERNAL', `${step.key} is not declared`, { object: step.key });
  return object;
}

async function buildImage(image: ImageObject, ctx: StepContext): Promise<void> {
  const build = image.spec.build;
  if (!build) throw new BerthError('E_INTERNAL', `Image/${image.name} has no build`);
  // A remote context is fetched by the engine itself: nothing local to list or send.
  const sent = build.remote
    ? { contextDir: '', remote: build.context, files: [] }
    : {
        contextDir: build.context,
        files: await listBuildContext(build.context, build.dockerfile),
        builderOnly: await builderOnlyFiles(build.context, build.dockerfile),
      };
  // A build secret a failing step printed must not reach the progress lines or the error's
  // last lines (F621): both are quoted with every known Secret value hidden.
  const onProgress = ctx.onProgress && ((line: string) => ctx.onProgress?.(hideSecretValues(line)));
  await ctx.engine
    .buildImage(
      {
        ...sent,
        dockerfile: build.dockerfile,
        ...(build.dockerfileInline !== undefined && { dockerfileInline: build.dockerfileInline }),
        tag: image.spec.ref,
        args: build.args,
        target: build.target,
        ...(build.cacheFrom && { cacheFrom: build.cacheFrom }),
        ...(build.secrets?.length && { secrets: secretValues(build.secrets) }),
        labels: {
          ...image.labels,
          ...ownershipLabels(ctx.project, 'Image', image.name, image.specHash),
          ...sourceLabel(image),
          [LABEL.buildHash]: buildKey(build),
        },
      },
      onProgress,
      ctx.signal,
    )
    .catch((error: unknown) => {
      throw isEngineError(error)
        ? new EngineError(error.code, hideSecretValues(error.message), error.detail)
        : error;
    });
}

async function createNetwork(network: NetworkObject, ctx: StepContext): Promise<void> {
  await ctx.engine.createNetwork({
    name: resourceEngineName(ctx.project, network),
    driver: network.spec.driver,
    internal: network.spec.internal,
    attachable: network.spec.attachable,
    ipam: network.spec.ipam,
    ...(network.spec.ipamMore && { ipamMore: network.spec.ipamMore }),
    ...(network.spec.enableIPv6 && { enableIPv6: true }),
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
    name: resourceEngineName(ctx.project, volume),
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

/** Connects declared container `container` (the one with `containerId`, when given) to `network`. */
async function connect(
  ctx: StepContext,
  network: string,
  container: string,
  containerId?: string,
): Promise<void> {
  const declared = find(ctx, 'Container', container) as ContainerObject | undefined;
  const aliases = declared ? aliasesOn(declared, network) : [container];
  await ctx.engine.connectNetwork(
    declaredEngineName(ctx.project, ctx.desired, 'Network', network),
    containerId ?? engineName(ctx.project, container),
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
