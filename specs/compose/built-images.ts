import type { ImportState } from './state.js';

/**
 * F186: one service builds `image: X`, others run `image: X` (a worker, a scheduler, a
 * migration). docker compose does not pull an image another service of the project builds
 * (pull.go: images "to build" are skipped) and `up --build` recreates every service that
 * runs it. Written as a literal ref, berth would pull X (failing, or racing the build) and
 * leave those containers on the old build after a rebuild. So every Container whose literal
 * image is the ref of a built Image object runs that object instead, with a note.
 */
export function useBuiltImages(state: ImportState): void {
  for (const object of state.objects.values()) {
    if (object.kind !== 'Container' || typeof object.spec.image !== 'string') continue;
    const built = state.builtRefs.get(object.spec.image);
    if (built === undefined) continue;
    object.notes.push(
      `image: ${object.spec.image} is built by services.${built.service} here: this container ` +
        `runs that Image (${built.name}), never pulled, and is recreated when it is rebuilt, as ` +
        'with docker compose',
    );
    object.spec.image = built.name;
  }
}
