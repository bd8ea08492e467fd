import { describe, expect, it } from 'vitest';
import { gapMs, parseAnswers } from './load-client.js';

describe('load client answers', () => {
  it('parses ok/fail lines with the uptime in ms, skipping anything else', () => {
    expect(parseAnswers('ok 12.30\nnoise\nfail 12.35\n')).toEqual([
      { ok: true, atMs: 12_300 },
      { ok: false, atMs: 12_350 },
    ]);
  });

  it('the gap runs from the last served request before the failures to the first after them', () => {
    const log = ['ok 1.00', 'ok 1.10', 'fail 1.20', 'ok 1.50', 'fail 2.00', 'ok 2.40', 'ok 2.50'];
    expect(gapMs(parseAnswers(log.join('\n')))).toBe(1_300);
  });

  it('no failure is no gap; failures at either end are bounded by the first or last answer', () => {
    expect(gapMs(parseAnswers('ok 1.00\nok 1.10'))).toBe(0);
    expect(gapMs(parseAnswers('fail 1.00\nfail 1.20\nok 1.90'))).toBe(900);
    expect(gapMs(parseAnswers('ok 1.00\nfail 1.20\nfail 1.60'))).toBe(600);
  });
});
