import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { TEST_IMAGE } from '../support/docker.js';

/**
 * Importing again into the same folder after a service was taken out of the Compose file:
 * the taken-out service's manifest goes (else `apply -f DIR` would still run it); files the
 * import did not write stay.
 */

const dir = mkdtempSync(join(tmpdir(), 'berth-reimport-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const service = (name: string) => `  ${name}:\n    image: ${TEST_IMAGE}\n    command: sleep 300\n`;

describe('berth import into a folder an earlier import wrote', () => {
  it('removes the manifests of services no longer in the Compose file, and nothing else', async () => {
    writeFileSync(join(dir, 'compose.yaml'), `services:\n${service('a')}${service('b')}`);
    expect((await berth(['import', '-o', 'out'], { cwd: dir })).code).toBe(0);
    expect(existsSync(join(dir, 'out', 'b.yaml'))).toBe(true);
    const mine = join(dir, 'out', 'extra.yaml');
    writeFileSync(mine, 'apiVersion: berth/v1\nkind: Volume\nmetadata: {name: extra}\nspec: {}\n');

    writeFileSync(join(dir, 'compose.yaml'), `services:\n${service('a')}`);
    const again = await berth(['import', '-o', 'out'], { cwd: dir });
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('removed b.yaml');
    expect(existsSync(join(dir, 'out', 'b.yaml'))).toBe(false);
    expect(readFileSync(join(dir, 'out', 'a.yaml'), 'utf8')).toContain('name: a');
    expect(existsSync(mine)).toBe(true);
    const valid = await berth(['validate', '-f', 'out', '-o', 'json'], { cwd: dir });
    expect(valid.code).toBe(0);
  });
});
