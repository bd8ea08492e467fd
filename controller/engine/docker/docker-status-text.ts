/**
 * The `Status` text of Docker's container list (`GET /containers/json`), read for what it
 * carries beside `State`: when the container started or last stopped.
 * Only this adapter knows the text's format; the rest of berth sees numbers.
 *
 * The engine writes it as (moby `container.State.String()`, go-units `HumanDuration`):
 * "Up 3 minutes", "Up 5 seconds (healthy)", "Up 2 hours (Paused)",
 * "Restarting (1) 3 seconds ago", "Exited (137) Less than a second ago", "Created", "Dead".
 * Durations: "Less than a second", "1 second", "N seconds" (under a minute, exact to the
 * second), "About a minute", "N minutes", "About an hour", "N hours", "N days", "N weeks",
 * "N months", "N years".
 */

/** When the container started (Up) or last stopped (Exited, Restarting), as far as the text says. */
export interface StatusTimes {
  /** Unix ms; the latest moment the text allows (its duration rounded down). */
  startedAt?: number;
  /** Unix ms; the latest moment the text allows. */
  finishedAt?: number;
}

const UNIT_MS: Record<string, number> = {
  second: 1_000,
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
  week: 7 * 86_400_000,
  month: 30 * 86_400_000,
  year: 365 * 86_400_000,
};

/** "3 minutes" → 180000, "Less than a second" → 0, "About an hour" → 3600000; else undefined. */
export function durationFromText(text: string): number | undefined {
  const t = text.trim();
  if (t === 'Less than a second') return 0;
  const about = /^About an? (minute|hour)$/.exec(t);
  if (about?.[1]) return UNIT_MS[about[1]];
  const m = /^(\d+) (second|minute|hour|day|week|month|year)s?$/.exec(t);
  return m?.[1] && m[2] ? Number(m[1]) * (UNIT_MS[m[2]] ?? 0) : undefined;
}

/**
 * Start or stop time from the status text, measured back from `now` (Unix ms, the time the
 * list was answered). Unknown text gives no times.
 */
export function timesFromStatus(status: string | undefined, now: number): StatusTimes {
  const s = status ?? '';
  const up = /^Up (.+?)(?: \((?:healthy|unhealthy|health: starting|Paused)\))*$/.exec(s);
  if (up?.[1]) {
    const ms = durationFromText(up[1]);
    return ms === undefined ? {} : { startedAt: now - ms };
  }
  const stopped = /^(?:Exited|Restarting) \(-?\d+\) (.+) ago$/.exec(s);
  if (stopped?.[1]) {
    const ms = durationFromText(stopped[1]);
    return ms === undefined ? {} : { finishedAt: now - ms };
  }
  return {};
}
