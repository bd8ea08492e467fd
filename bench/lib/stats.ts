/** Summary of repeated timings of one tool in one scenario. */
export interface Summary {
  runs: number;
  median: number;
  min: number;
  max: number;
}

/** Median, min and max of the samples; all zero when there are none. */
export function summarise(samples: number[]): Summary {
  if (samples.length === 0) return { runs: 0, median: 0, min: 0, max: 0 };
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median =
    sorted.length % 2 === 1
      ? (sorted[mid] as number)
      : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return {
    runs: sorted.length,
    median,
    min: sorted[0] as number,
    max: sorted[sorted.length - 1] as number,
  };
}

/** a/b rounded to two decimals; undefined when b is not a positive number. */
export function ratio(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined || b === undefined || !(b > 0)) return undefined;
  return Math.round((a / b) * 100) / 100;
}

/** The p-th percentile (0–100) of the samples by nearest rank; undefined when there are none. */
export function percentile(samples: number[], p: number): number | undefined {
  if (samples.length === 0) return undefined;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
