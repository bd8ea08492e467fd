import { describe, expect, it } from 'vitest';
import { BerthError, formatError } from './errors.js';

describe('formatError', () => {
  it('prefixes the object once', () => {
    expect(formatError(new BerthError('E_INTERNAL', 'went wrong', { object: 'Network/a' }))).toBe(
      'error: Network/a: went wrong',
    );
    expect(
      formatError(
        new BerthError('E_EXTERNAL', 'Network/a: missing; Volume/b: missing', {
          object: 'Network/a',
        }),
      ),
    ).toBe('error: Network/a: missing; Volume/b: missing');
  });
});
