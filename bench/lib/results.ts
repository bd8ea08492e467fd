import type { CallCounts } from './api-proxy.js';
import type { ScenarioLoad } from './machine-load.js';
import type { Summary } from './stats.js';

/** One tool's numbers in one scenario. Failed and hung runs are counted, never dropped. */
export interface ToolResult extends Summary {
  samples: number[];
  failures: number;
  timeouts: number;
  /** Runs that finished but did not do the work the scenario names (their check failed). */
  unverified?: number;
  /** First failure's message, to show why. */
  failure?: string;
  /** Engine requests of the last measured run, when counted through the proxy. */
  calls?: number;
  callsByRoute?: CallCounts;
  /** CPU time (user + system, ms) of the process of each successful run, where measured. */
  cpu?: Summary;
}

/** A bar from issue 7's table, checked against this run's numbers. */
export interface Bar {
  text: string;
  /** undefined when the run could not decide (a peer missing, or every run failed). */
  met: boolean | undefined;
  ratio?: number;
  detail: string;
}

export interface ScenarioResult {
  id: string;
  title: string;
  /** What one sample measures, e.g. "wall time (ms)". */
  measure: string;
  unit: string;
  tools: Record<string, ToolResult>;
  bars: Bar[];
  notes: string[];
  /**
   * The machine's 1-minute load average when the scenario's runs started and ended (the
   * start-up scenarios, F280): at or above the core count, wall times include waiting for a core.
   */
  load?: ScenarioLoad;
}

export interface Machine {
  cores: number;
  cpuModel: string;
  memoryMb: number;
  engineVersion: string;
  apiVersion: string;
  node: string;
  composeVersion?: string;
  podman?: string;
  date: string;
  mode: string;
  /** Wall time of the whole run, seconds (a full run must stay within 25 min). */
  durationS?: number;
}

export interface BenchResults {
  machine: Machine;
  scenarios: ScenarioResult[];
}
