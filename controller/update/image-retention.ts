import type { ObjectKey } from '../../specs/model.js';
import type { ObservedImage } from '../engine/engine.js';
import { LABEL } from '../labels.js';
import { findImage } from '../plan/image-ref.js';
import type { PlanInput } from '../plan/plan-input.js';
import { objectPlan, step } from '../plan/plan-object.js';
import type { ObjectPlan, PlanStep } from '../plan/plan-types.js';

/**
 * A rollback's exact image (DESIGN.md "Updates and rollback": rollback never needs a rebuild):
 * when `ref` names another image than the pinned id and the engine still has that id, one
 * `tag` step points the ref back at it (`target` holds the id). Undefined when nothing is
 * pinned, the ref already names it, or the image is gone (then the usual build or pull runs).
 */
export function pinnedImageStep(
  key: ObjectKey,
  ref: string,
  images: ObservedImage[],
  pinnedId: string | undefined,
): PlanStep | undefined {
  if (!pinnedId || findImage(images, ref)?.id === pinnedId) return undefined;
  if (!images.some((i) => i.id === pinnedId)) return undefined;
  const short = pinnedId.replace(/^sha256:/, '').slice(0, 12);
  return { ...step(key, 'tag', '~', `rollback: ${ref} back to image ${short}`), target: pinnedId };
}

/**
 * Built images of the project that no apply in the rollback depth ran on (DESIGN.md: "Images
 * berth built that no apply in history uses any more are removed; those history uses are
 * kept"): earlier builds of a declared Image object that a rebuild left behind. Never an image
 * without the project's labels and build hash (berth did not build it), the image a declared
 * ref names or is pinned to, or one a container of the project runs on. Without
 * `keepImageIds` (history unknown) nothing is removed. Images whose object is no longer
 * declared are `--prune`'s (plan-prune). Pure; keys are `Image/<name>@<id12>`.
 */
export function planImageRetention(input: PlanInput): ObjectPlan[] {
  const keep = input.keepImageIds;
  if (!keep) return [];
  const declared = new Map<string, string>();
  for (const o of input.desired) if (o.kind === 'Image') declared.set(o.name, o.spec.ref);
  const current = new Set<string>();
  for (const ref of declared.values()) {
    const id = input.pinnedImages?.get(ref) ?? findImage(input.observed.images, ref)?.id;
    if (id) current.add(id);
  }
  // An image a container runs on is kept this time (the engine would refuse anyway).
  const inUse = new Set(input.observed.containers.map((c) => c.imageId));
  return input.observed.images
    .filter((img) => builtFor(img, input.project) && declared.has(img.labels[LABEL.name]!))
    .filter((img) => !keep.has(img.id) && !current.has(img.id) && !inUse.has(img.id))
    .map(retired);
}

function builtFor(img: ObservedImage, project: string): boolean {
  return (
    img.labels[LABEL.project] === project &&
    Boolean(img.labels[LABEL.name]) &&
    Boolean(img.labels[LABEL.buildHash])
  );
}

function retired(img: ObservedImage): ObjectPlan {
  const name = `${img.labels[LABEL.name]}@${img.id.replace(/^sha256:/, '').slice(0, 12)}`;
  const key: ObjectKey = `Image/${name}`;
  const cause = 'an earlier build no apply in history uses any more';
  return objectPlan({ key, kind: 'Image', name, engineId: img.id }, 'present', 'absent', [
    step(key, 'remove', '-', cause),
  ]);
}
