import type { ContainerDetails } from '../engine/engine.js';

/** The longest excerpt of a container's own output that a one-line reason quotes. */
export const EXCERPT_CHARS = 200;

/**
 * Text a container printed (a health probe's output), as a one-line reason may quote it
 * (F540): each value of `hidden` (the project's Secret values: a probe may print one) becomes
 * `***`, whitespace runs and newlines become one space, and it is cut at EXCERPT_CHARS with `…`.
 * Control characters are kept: this is data (`-o json` carries the real text); every text
 * output makes them visible where it prints (visibleText, F277/F345). Pure.
 */
export function outputExcerpt(text: string, hidden: readonly string[] = []): string {
  let shown = text;
  for (const value of hidden) shown = hideValue(shown, value);
  const line = shown.replace(/\s+/g, ' ').trim();
  return line.length > EXCERPT_CHARS ? `${line.slice(0, EXCERPT_CHARS - 1)}…` : line;
}

/** A secret file's value usually ends with a newline the probe does not print: both forms go. */
function hideValue(text: string, value: string): string {
  const forms = [...new Set([value, value.trim()])].filter((v) => v.length > 0);
  return forms.reduce((out, v) => out.split(v).join('***'), text);
}

/**
 * The health probe's last result as a reason states it: `exit code 1: <output>` or
 * `exit code 1, no output`; undefined before the first probe ran.
 */
export function lastProbe(
  details: Pick<ContainerDetails, 'healthLog'> | undefined,
  hidden: readonly string[] = [],
): string | undefined {
  const last = details?.healthLog.at(-1);
  if (!last) return undefined;
  const output = outputExcerpt(last.output, hidden);
  return `exit code ${last.exitCode}${output ? `: ${output}` : ', no output'}`;
}
