import { describe, expect, it } from 'vitest';
import { fieldChanges, formatFieldChange } from './field-diff.js';

describe('field diff', () => {
  it('names each changed leaf with its path, old → new', () => {
    const before = { env: { MODE: 'a', KEEP: '1' }, ports: [{ containerPort: 80 }] };
    const after = {
      env: { MODE: 'b', KEEP: '1' },
      ports: [{ containerPort: 81 }, { containerPort: 90 }],
    };
    expect(fieldChanges(before, after).map((c) => formatFieldChange(c, false))).toEqual([
      'env.MODE: "a" → "b"',
      'ports[0].containerPort: 80 → 81',
      'ports[1]: (none) → {"containerPort":90}',
    ]);
  });
  it('never prints a secret value', () => {
    const [change] = fieldChanges({ digest: 'x' }, { digest: 'y' });
    expect(formatFieldChange(change!, true)).toBe('digest: (changed)');
  });
});
