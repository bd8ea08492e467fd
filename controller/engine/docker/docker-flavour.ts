import type { DockerReads } from './docker-reads.js';

/** A `/version` answer, as far as telling the engine apart needs. */
interface VersionAnswer {
  Components?: { Name?: string; Version?: string }[];
}

/** Podman's component of a `/version` answer ("Podman Engine"), if the engine is Podman. */
export function podmanComponent(version: unknown): { version: string } | undefined {
  const found = ((version as VersionAnswer).Components ?? []).find((c) =>
    /podman/i.test(c.Name ?? ''),
  );
  return found ? { version: found.Version ?? '' } : undefined;
}

/**
 * Whether the engine behind the Docker API is Podman (its `/version` names a "Podman
 * Engine" component). Read once, and only where an answer differs (ENGINE-NOTES.md,
 * "Podman"); a failed read counts as Docker.
 */
export function detectPodman(reads: DockerReads): Promise<boolean> {
  return reads.version().then(
    (v) => podmanComponent(v) !== undefined,
    () => false,
  );
}
