import { describe, expect, it } from 'vitest';
import { visibleText } from './visible-text.js';

describe('visibleText', () => {
  it('shows escape sequences, BEL, CR, DEL and C1 controls instead of sending them', () => {
    expect(visibleText('ok\x1b]0;pwned\x07\x1b[2J\r\x7f\u009b')).toBe(
      'ok\\x1b]0;pwned\\x07\\x1b[2J\\x0d\\x7f\\x9b',
    );
  });

  it('keeps tabs, printable text and non-ASCII; newlines only when asked', () => {
    expect(visibleText('a\tb é ✓')).toBe('a\tb é ✓');
    expect(visibleText('a\nb')).toBe('a\\x0ab');
    expect(visibleText('a\nb', { keepNewlines: true })).toBe('a\nb');
  });
});
