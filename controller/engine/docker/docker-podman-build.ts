import type Dockerode from 'dockerode';
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

/**
 * A build from a remote context (a git URL with `#ref[:dir]`, an http(s) tarball) on Podman:
 * Podman 4.3.1's Docker-compatible `POST /build` ignores `remote` and builds the uploaded
 * body (empty: "stat …/Dockerfile: no such file or directory"), while the same handler
 * behind libpod's `POST /libpod/build` fetches it (buildah clones `#ref` and builds in `dir`;
 * checked on 4.3.1 with a git daemon, F167). Same query as Docker's, same `stream` lines
 * and `error` line back; the body is the empty context berth sends for a remote build.
 */
export function buildThroughLibpod(
  docker: Dockerode,
  body: NodeJS.ReadableStream,
  options: Dockerode.ImageBuildOptions,
): Promise<NodeJS.ReadableStream> {
  return new Promise((resolve, reject) => {
    docker.modem.dial(
      {
        path: '/v4.0.0/libpod/build?',
        method: 'POST',
        file: body,
        options,
        // Read here by the modem (and left out of the query): closing the request cancels the build.
        abortSignal: options.abortSignal,
        isStream: true,
        statusCodes: { 200: true, 400: 'bad parameter', 500: 'server error' },
      },
      (err, stream) => (err ? reject(err) : resolve(stream as NodeJS.ReadableStream)),
    );
  });
}
