import { isRecord } from './located.js';
import type { UnknownTag } from './located.js';

/** The sections of a Compose file that hold named objects, in the order they are merged. */
export const SECTIONS = ['services', 'networks', 'volumes', 'secrets', 'configs'] as const;

/**
 * What loading a Compose project carries from file to file (load.ts): where messages are
 * relative to, the include/extends path for cycles, the include levels' env files, the YAML
 * tags seen. Mutated as files are read; one per loadCompose call.
 */
export interface LoadContext {
  /** How file names appear in messages: relative to here. */
  cwd: string;
  /** Files on the current include/extends path, for cycle detection. */
  stack: string[];
  cache: Map<string, Record<string, unknown>>;
  /** The env files of each include level around the file being read, outermost first. */
  envLevels: string[][];
  /** What ComposeProject.includeScopes reports. */
  scopes: Map<string, string[][]>;
  /** The project's variables (the environment, then its `.env`), for `include` entries. */
  lookup: (name: string) => string | undefined;
  unknownTags: UnknownTag[];
}

/** `tree[key]` when it is a mapping, else an empty one (an absent or null section). */
export function section(tree: Record<string, unknown>, key: string): Record<string, unknown> {
  const value = tree[key];
  return isRecord(value) ? value : {};
}
