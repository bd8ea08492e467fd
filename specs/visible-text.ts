/**
 * Text from the engine or a container (a health probe's output, an exit message, an event,
 * a label), or quoted from a manifest or Compose file (names, keys, paths, values: F345), made
 * safe to print on a terminal or write into a comment: every C0 control character (ESC, BEL, CR, …),
 * DEL and every C1 control character becomes a visible `\xNN`, so a container cannot set the
 * window title, clear the screen or overwrite lines of `berth status`/`describe` (F277, the
 * class of CVE-2021-25743). Tab stays; `\n` stays only when `keepNewlines` (multi-line
 * blocks). Pure; `-o json`/`yaml` need none of this, their encoders escape already.
 */
export function visibleText(text: string, options: { keepNewlines?: boolean } = {}): string {
  return text.replace(CONTROL, (ch) =>
    ch === '\n' && options.keepNewlines
      ? ch
      : `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}

// C0 except tab, DEL, C1.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g;
