/**
 * Suffixes of the engine names a container has while an update replaces it (DESIGN.md
 * "Updates and rollback"): the new one runs as `<name>-next`, the old one waits as `<name>-prev`.
 * Declared here, on the desired side, because validate refuses names that would clash with
 * them (F155); the controller's labels re-export them.
 */
export const NEXT_SUFFIX = '-next';
export const PREV_SUFFIX = '-prev';

/** Both update suffixes, in the order an update uses them. */
export const UPDATE_SUFFIXES = [NEXT_SUFFIX, PREV_SUFFIX] as const;
