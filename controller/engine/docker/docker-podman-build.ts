import type { Labels } from '../engine.js';

/**
 * The `labels` query of `POST /build`. Docker takes a JSON object. Podman 4.3.1 takes one
 * too, but walks it as a Go map — in a random order — and makes each label a LABEL step
 * of its own: the same build got its labels in another order each time, so another image
 * id and no cache (image-retention on Podman: a rebuild of unchanged content after a
 * rollback ran on a new image where Docker's cache gives back the same one). Podman also
 * takes a JSON array of `key=value`, in the order given (its compat build handler, v4.3.1):
 * on Podman the labels go as that array, sorted by key, so one build's steps are always the
 * same. Pure.
 */
export function buildLabelsQuery(labels: Labels, podman: boolean): Labels | string {
  if (!podman) return labels;
  const sorted = Object.keys(labels)
    .sort()
    .map((key) => `${key}=${labels[key]}`);
  return JSON.stringify(sorted);
}
