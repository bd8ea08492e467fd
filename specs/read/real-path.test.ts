import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { realHostPath } from './real-path.js';

const dir = mkdtempSync(join(tmpdir(), 'berth-realpath-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('realHostPath', () => {
  it('follows links along the path and keeps a missing rest as written', () => {
    symlinkSync('/etc', join(dir, 'etclink'));
    expect(realHostPath(join(dir, 'etclink', 'no-such-file'))).toBe('/etc/no-such-file');
  });

  it('a link whose target does not exist yet is its target (F111)', () => {
    symlinkSync('/etc/berth-no-such-file', join(dir, 'dangling'));
    expect(realHostPath(join(dir, 'dangling'))).toBe('/etc/berth-no-such-file');
    symlinkSync('dangling', join(dir, 'relative'));
    expect(realHostPath(join(dir, 'relative', 'x'))).toBe('/etc/berth-no-such-file/x');
  });

  it('gives up on a loop without throwing', () => {
    symlinkSync(join(dir, 'b'), join(dir, 'a'));
    symlinkSync(join(dir, 'a'), join(dir, 'b'));
    expect(typeof realHostPath(join(dir, 'a'))).toBe('string');
  });
});
