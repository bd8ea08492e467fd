import { describe, expect, it } from 'vitest';
import { MIN_MASKED_CHARS, rememberValue } from '../../specs/file-values.js';
import { EXCERPT_CHARS, hideSecretValues, lastProbe, outputExcerpt } from './output-excerpt.js';

describe('outputExcerpt (F540)', () => {
  it('is one line; control characters kept for the text outputs to make visible', () => {
    expect(outputExcerpt('  line one\n\tline two\r\n')).toBe('line one line two');
    expect(outputExcerpt('ok\x1b]0;pwned\x07')).toBe('ok\x1b]0;pwned\x07');
  });
  it('is cut at EXCERPT_CHARS', () => {
    const cut = outputExcerpt('x'.repeat(500));
    expect(cut).toHaveLength(EXCERPT_CHARS);
    expect(cut.endsWith('…')).toBe(true);
  });
  it('never shows a Secret value this process knows, with or without its trailing newline', () => {
    rememberValue(Buffer.from('s3cr3t-v\n'), 'secret');
    rememberValue(Buffer.from('plain-config-v'), 'config');
    expect(outputExcerpt('token s3cr3t-v and s3cr3t-v\n; plain-config-v')).toBe(
      'token *** and ***; plain-config-v',
    );
  });
});

describe('secret values too short to search for (F623)', () => {
  it('leaves output readable: a secret of 1 to 3 characters is not searched for', () => {
    rememberValue(Buffer.from('ab'), 'secret');
    rememberValue(Buffer.from('7\n'), 'secret');
    rememberValue(Buffer.from(' yes '), 'secret');
    expect(MIN_MASKED_CHARS).toBe(4);
    expect(outputExcerpt('table 7 tabs: yes, 1970')).toBe('table 7 tabs: yes, 1970');
  });
  it('still hides one of 4 characters, and one that holds another whole (F760)', () => {
    rememberValue(Buffer.from('k9Zq'), 'secret');
    rememberValue(Buffer.from('k9Zq-long-one\n'), 'secret');
    expect(hideSecretValues('a k9Zq-long-one, b k9Zq')).toBe('a ***, b ***');
  });
});

describe('lastProbe', () => {
  const log = (output: string) => ({ healthLog: [{ start: '', exitCode: 1, output }] });
  it("states the last probe's exit code and output, or that it printed nothing", () => {
    expect(lastProbe(log('db down\n'))).toBe('exit code 1: db down');
    expect(lastProbe(log(''))).toBe('exit code 1, no output');
    expect(lastProbe({ healthLog: [] })).toBeUndefined();
  });
});
