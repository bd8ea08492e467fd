import type { DockerReads } from './docker-reads.js';

/**
 * Whether the engine behind the Docker API is Podman (its `/version` names a "Podman
 * Engine" component). Read once, and only where an answer differs (ENGINE-NOTES.md,
 * "Podman"); a failed read counts as Docker.
 */
export function detectPodman(reads: DockerReads): Promise<boolean> {
  return reads.version().then(
    (v) =>
      ((v as { Components?: { Name?: string }[] }).Components ?? []).some((c) =>
        /podman/i.test(c.Name ?? ''),
      ),
    () => false,
  );
}
