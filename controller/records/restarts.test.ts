import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRestarts, restartsFor, withRestarts, writeRestarts } from './restarts.js';

describe('restart records', () => {
  it('count for the containers that were restarted, and start from 0 for a replacement', () => {
    let records = withRestarts({}, 'Container/web', 1, ['b', 'a'], 10);
    records = withRestarts(records, 'Container/web', 2, ['a', 'b'], 20);
    expect(records['Container/web']).toEqual({ restarts: 3, lastAt: 20, containerIds: ['a', 'b'] });
    expect(restartsFor(records, 'Container/web', ['a'])).toBe(3);
    expect(restartsFor(records, 'Container/web', ['new'])).toBe(0);
    expect(restartsFor(records, 'Container/db', ['a'])).toBe(0);
    const replaced = withRestarts(records, 'Container/web', 1, ['new'], 30);
    expect(restartsFor(replaced, 'Container/web', ['new'])).toBe(1);
  });

  it('survive a write and a read; a missing or corrupt file is no records', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'berth-restarts-'));
    try {
      expect(await readRestarts(dir, 'p')).toEqual({});
      const records = withRestarts({}, 'Container/web', 2, ['a'], 5);
      await writeRestarts(dir, 'p', records);
      expect(await readRestarts(dir, 'p')).toEqual(records);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
