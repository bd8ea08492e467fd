import { buildKey } from '../../../specs/index.js';
import type { DesiredObject, ImageObject } from '../../../specs/model.js';
import { isEngineError } from '../../engine/engine.js';
import type { Engine } from '../../engine/engine.js';
import { BerthError } from '../../errors.js';
import { LABEL } from '../../labels.js';
import { pushWithCredentials, withTag } from '../../registry/push.js';
import type { CliContext, CommonOptions } from '../context.js';
import { declaredSet } from '../declared-set.js';
import { resolveProjectName } from '../project-name.js';

export interface PushOptions extends CommonOptions {
  filename?: string[];
  /** `--tag T`: also push the image as `<repo>:T`. */
  tag?: string[];
}

/**
 * `berth push [IMAGE…] [-f PATH…] [--tag T…]`: pushes the declared images berth builds
 * (all of them, or those named) to the registry of their `ref`, with the credentials a
 * pull would use (DESIGN.md "New verbs"). The image must have been built (by `apply`);
 * one that was not, or that the registry refuses, is named on stderr and the others are
 * still pushed. So is one whose local image was not built from the declared build (F158:
 * `builtAsDeclared`). Exit 0 when every push succeeded, 2 otherwise; an unknown name or an
 * Image that is pulled rather than built is exit 1 before anything is pushed.
 */
export async function run(ctx: CliContext, names: string[], options: PushOptions): Promise<number> {
  const project = resolveProjectName(options.project, options.filename ?? [], ctx.cwd, ctx.env);
  const images = chooseImages(await declaredSet(ctx, project, options.filename), names, project);
  if (images.length === 0) {
    ctx.stdout.write(`project ${project} declares no built images: nothing to push\n`);
    return 0;
  }
  const engine = await ctx.engine();
  const source = options.filename?.length ? options.filename.join(', ') : undefined;
  let failed = 0;
  for (const image of images) {
    if (!(await builtAsDeclared(ctx, engine, image, source))) {
      failed++;
      continue;
    }
    for (const ref of [
      image.spec.ref,
      ...(options.tag ?? []).map((t) => withTag(image.spec.ref, t)),
    ])
      if (!(await pushOne(ctx, engine, image, ref))) failed++;
  }
  return failed ? 2 : 0;
}

/**
 * Whether the image the ref's local tag names was built from the declared build (its
 * `berth.build-hash` label is the build's content hash, as apply's plan compares it). When the
 * files given to `-f` declare another build (a changed context, or a rollback moved the tag
 * back), pushing the tag would publish a build those files do not describe (F158): refused,
 * named on stderr with the way out. An image not built yet is left to pushOne's message.
 */
async function builtAsDeclared(
  ctx: CliContext,
  engine: Engine,
  image: ImageObject,
  source: string | undefined,
): Promise<boolean> {
  const declared = image.spec.build && buildKey(image.spec.build);
  const built = declared === undefined ? undefined : await engine.inspectImage(image.spec.ref);
  if (!built || built.labels[LABEL.buildHash] === declared) return true;
  const from = source === undefined ? 'the last applied set' : source;
  const apply = source === undefined ? 'berth apply' : `berth apply -f ${source}`;
  ctx.stderr.write(
    `error: Image/${image.name}: cannot push ${image.spec.ref}: the local image ` +
      `(${built.id.slice(0, 19)}) was not built from the build ${from} declares ` +
      `(its context, Dockerfile or args differ; berth plan shows the build)\n` +
      `hint: ${apply} builds it; push again after that\n`,
  );
  return false;
}

/** The named images (all built ones when none are named); refuses names it cannot push. */
function chooseImages(declared: DesiredObject[], names: string[], project: string): ImageObject[] {
  const images = declared.filter((o): o is ImageObject => o.kind === 'Image');
  if (names.length === 0) return images.filter((i) => i.spec.build !== undefined);
  return names.map((name) => {
    const image = images.find((i) => i.name === name);
    if (!image)
      throw new BerthError('E_UNKNOWN_OBJECT', `no Image ${name} declared in project ${project}`);
    if (!image.spec.build)
      throw new BerthError(
        'E_USAGE',
        `Image ${name} is pulled, not built: berth pushes only the images it builds`,
        {
          object: `Image/${name}`,
        },
      );
    return image;
  });
}

/** Pushes one reference (tagging the built image first when it is an extra tag). */
async function pushOne(
  ctx: CliContext,
  engine: Engine,
  image: ImageObject,
  ref: string,
): Promise<boolean> {
  try {
    const built = await engine.inspectImage(image.spec.ref);
    if (!built)
      throw new BerthError('E_IMAGE_PUSH', `cannot push ${ref}: not built yet`, {
        object: `Image/${image.name}`,
        hint: 'build it with berth apply first',
      });
    if (built.labels[LABEL.name] !== image.name)
      ctx.logger.warn({ ref: image.spec.ref }, 'pushing an image berth did not build');
    if (ref !== image.spec.ref) await engine.tagImage(built.id, ref);
    const { digest } = await pushWithCredentials(engine, ref, ctx.env, (line) =>
      ctx.logger.debug({ ref }, line),
    );
    ctx.stdout.write(`Image/${image.name}: pushed ${ref}${digest ? ` (${digest})` : ''}\n`);
    return true;
  } catch (e) {
    if (!(e instanceof BerthError) && !isEngineError(e)) throw e;
    const hint = e instanceof BerthError && e.context.hint ? `\nhint: ${e.context.hint}` : '';
    ctx.stderr.write(`error: Image/${image.name}: ${e.message}${hint}\n`);
    return false;
  }
}
