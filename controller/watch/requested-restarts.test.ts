import { describe, expect, it } from 'vitest';
import type { ObjectKey } from '../../specs/model.js';
import { RequestedRestarts } from './requested-restarts.js';

const web = 'Container/web' as ObjectKey;

describe('RequestedRestarts', () => {
  it('marks a key while its restart runs, overlapping ones too, and calls after each', async () => {
    const restarts = new RequestedRestarts();
    const after: string[] = [];
    let release!: () => void;
    const first = restarts.perform(
      web,
      () => new Promise<void>((r) => (release = r)),
      () => after.push('1'),
    );
    const second = restarts.perform(
      web,
      () => Promise.resolve(),
      () => after.push('2'),
    );
    await second;
    expect(restarts.active(web)).toBe(true);
    release();
    await first;
    expect(restarts.active(web)).toBe(false);
    expect(after).toEqual(['2', '1']);
  });

  it('ends the mark when the restart fails', async () => {
    const restarts = new RequestedRestarts();
    await expect(
      restarts.perform(
        web,
        () => Promise.reject(new Error('gone')),
        () => undefined,
      ),
    ).rejects.toThrow('gone');
    expect(restarts.active(web)).toBe(false);
  });
});
