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
  for (const object of [...state.objects.values()]) {
    if (object.kind !== 'Container' || typeof object.spec.image !== 'string') continue;
    const pulled = pulledImage(state, object.spec.image);
    const ref = pulled?.spec.ref ?? object.spec.image;
    const built = typeof ref === 'string' ? state.builtRefs.get(ref) : undefined;
    if (built === undefined || built.name === object.spec.image) continue;
    // F242: with a pull_policy the service had an Image object of its own, pulled (or refused
    // when absent); docker compose skips pulling an image the project builds whatever the
    // policy says, so that object goes and the built one is run.
    if (pulled) state.objects.delete(`Image/${object.spec.image}`);
    object.notes.push(
      `image: ${String(ref)} is built by services.${built.service} here: this container ` +
        `runs that Image (${built.name}), never pulled${pulled ? ' (its pull_policy ignored, as docker compose ignores it)' : ''}, and is recreated when it is rebuilt, as ` +
        'with docker compose',
    );
    object.spec.image = built.name;
  }
}

/** The Image object a pull_policy gave a service (one that builds nothing), if `name` is one. */
function pulledImage(state: ImportState, name: string) {
  const image = state.objects.get(`Image/${name}`);
  return image && image.spec.build === undefined && image.spec.pullPolicy !== undefined
    ? image
    : undefined;
}
