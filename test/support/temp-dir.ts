import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';

/**
 * A fresh folder under the OS temp dir (`<prefix>XXXXXX`), removed with everything in it
 * when the running test finishes, passed or failed. Call it inside a test (or a helper a
 * test calls): unit tests ran thousands of times and each left its folders in /tmp.
 */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
