import { knownSecretTexts, MIN_MASKED_CHARS } from '../../specs/file-values.js';
import type { ContainerDetails } from '../engine/engine.js';

/** The longest excerpt of a container's own output that a one-line reason quotes. */
export const EXCERPT_CHARS = 200;

/**
 * Text a container printed (a health probe's output, its last log lines), as a one-line reason
 * may quote it (F540): every Secret value this process knows (specs/file-values.ts
 * knownSecretTexts: read from the manifests, or recovered from the files berth mounts,
 * records/mounted-secrets.ts) becomes `***` — here, the one point every quote of a
 * container's output passes, so that no view (status, get, describe, the status API, the web
 * view, apply's and run's reasons, history) can forget it (F562); whitespace runs and newlines
 * become one space, and it is cut at EXCERPT_CHARS with `…`. Control characters are kept: this
 * is data (`-o json` carries the real text); every text output makes them visible where it
 * prints (visibleText, F277/F345). `keep: 'end'` cuts the start instead (`…` first): a log's
 * last lines say most.
 */
export function outputExcerpt(text: string, keep: 'start' | 'end' = 'start'): string {
  const line = hideSecretValues(text).replace(/\s+/g, ' ').trim();
  if (line.length <= EXCERPT_CHARS) return line;
  return keep === 'start'
    ? `${line.slice(0, EXCERPT_CHARS - 1)}…`
    : `…${line.slice(line.length - EXCERPT_CHARS + 1)}`;
}

/**
 * `text` with every Secret value this process knows (knownSecretTexts) replaced by `***`,
 * its lines kept: for output quoted whole, such as a failed build's last lines (F621). The
 * longest values go first: a secret that holds another (`abcd` in `abcd-efgh`) is hidden
 * whole, not left as `***-efgh` (F760). Values under MIN_MASKED_CHARS are not searched for.
 */
export function hideSecretValues(text: string): string {
  const forms = new Set(knownSecretTexts().flatMap((value) => [value, value.trim()]));
  const searched = [...forms].filter((v) => v.trim().length >= MIN_MASKED_CHARS);
  // A secret file's value usually ends with a newline the probe does not print: both forms go.
  searched.sort((a, b) => b.length - a.length);
  return searched.reduce((out, v) => out.split(v).join('***'), text);
}

/**
 * The health probe's last result as a reason states it: `exit code 1: <output>` or
 * `exit code 1, no output`; undefined before the first probe ran.
 */
export function lastProbe(
  details: Pick<ContainerDetails, 'healthLog'> | undefined,
): string | undefined {
  const last = details?.healthLog.at(-1);
  if (!last) return undefined;
  const output = outputExcerpt(last.output);
  return `exit code ${last.exitCode}${output ? `: ${output}` : ', no output'}`;
}
