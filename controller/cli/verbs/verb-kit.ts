import type { Command } from 'commander';
import type { Loader } from '../program-invoke.js';

/** What a verb definition needs from the program it joins (program.ts builds it). */
export interface VerbKit {
  /** The program itself (completion lists its verbs). */
  program: Command;
  /** A new verb with the global flags and its help examples (help-examples.ts). */
  verb(name: string, description: string): Command;
  /** The verb's action: loads its command module when it runs and sets the exit code. */
  action(load: Loader): (...args: unknown[]) => Promise<void>;
}

/** Registers one verb, with its arguments and flags, on the program. */
export type VerbDefinition = (kit: VerbKit) => void;
