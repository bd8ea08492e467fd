/**
 * The load client of the update scenarios (issue 14): a busybox loop on the project network
 * asking http://app:8080/ about every 10 ms, one line per answer: `ok T` or `fail T`, T the
 * client's uptime in seconds with centiseconds (`/proc/uptime`, read by the shell's own
 * `read`: no process per request). busybox wget (its -T crashes here).
 */
export const CLIENT_SCRIPT =
  'while true; do read t _ < /proc/uptime; if wget -q -O /dev/null http://app:8080/ 2>/dev/null; then echo "ok $t"; else echo "fail $t"; fi; sleep 0.01; done';

/** One answer of the client: whether it was served, and when it was asked (ms, client clock). */
export interface Answer {
  ok: boolean;
  atMs: number;
}

/** The client's answers from its log, in order; other lines are skipped. Pure. */
export function parseAnswers(log: string): Answer[] {
  const out: Answer[] = [];
  for (const line of log.split('\n')) {
    const m = /^(ok|fail) (\d+(?:\.\d+)?)$/.exec(line.trim());
    if (m) out.push({ ok: m[1] === 'ok', atMs: Math.round(Number(m[2]) * 1000) });
  }
  return out;
}

/**
 * The service's gap as the client saw it, in ms: from the last served request before the
 * first failed one to the first served request after the last failed one (so a gap is never
 * shorter than the failures it spans). 0 without a failed request; when the answers start or
 * end failing, their first or last request bounds it. Pure.
 */
export function gapMs(answers: readonly Answer[]): number {
  const first = answers.findIndex((a) => !a.ok);
  if (first < 0) return 0;
  let last = answers.length - 1;
  while (answers[last]!.ok) last--;
  const from = answers[first - 1] ?? answers[first]!;
  const to = answers[last + 1] ?? answers[last]!;
  return to.atMs - from.atMs;
}
