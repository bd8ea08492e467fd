import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mountedBy, releaseFileMounts } from './file-release.js';

const state = mkdtempSync(join(tmpdir(), 'berth-release-'));
afterAll(() => rmSync(state, { recursive: true, force: true }));
const files = join(state, 'p', 'files');
const put = (path: string) => {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, 'x');
};
const labels = { 'berth.project': 'p', 'berth.name': 'web' };

describe('releaseFileMounts (F123)', () => {
  it('removes what the container mounted but others still do, then the folders left empty', async () => {
    const mine = join(files, 'web-2', '0-secret-pw-aa');
    const shared = join(files, 'web', '0-secret-pw-bb');
    const other = join(files, 'api', '0-secret-pw-aa');
    [mine, shared, other].forEach(put);
    const outside = join(state, 'elsewhere.txt');
    put(outside);
    const removed = { name: 'p-web-2', labels, mountSources: [mine, shared, outside] };
    await releaseFileMounts(state, 'p', removed, mountedBy([{ mountSources: [shared] }]));
    expect([existsSync(mine), existsSync(join(files, 'web-2'))]).toEqual([false, false]);
    expect([existsSync(shared), existsSync(other), existsSync(outside)]).toEqual([
      true,
      true,
      true,
    ]);
    await releaseFileMounts(
      state,
      'p',
      { name: 'p-api', labels, mountSources: [other] },
      new Set(),
    );
    await releaseFileMounts(
      state,
      'p',
      { name: 'p-web', labels, mountSources: [shared] },
      new Set(),
    );
    // The last file gone: the project's files folder goes too, its state folder stays.
    expect([existsSync(files), existsSync(join(state, 'p'))]).toEqual([false, true]);
  });

  it('without the engine listing its mounts, takes its declared name’s folder', async () => {
    const mine = join(files, 'web', '0-secret-pw-aa');
    put(mine);
    await releaseFileMounts(state, 'p', { name: 'p-web', labels }, new Set());
    expect(existsSync(files)).toBe(false);
  });
});
