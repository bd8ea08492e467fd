import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { outputExcerpt } from '../lifecycle/output-excerpt.js';
import { rememberMountedSecrets } from './mounted-secrets.js';

const stateDir = mkdtempSync(join(tmpdir(), 'berth-mounted-secrets-'));
afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

describe('rememberMountedSecrets (F562)', () => {
  it("hides the project's Secret files in every excerpt from then on, never its Config files", async () => {
    const folder = join(stateDir, 'shop', 'files', 'api');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, '0-secret-token-0123456789abcdef'), 'mounted-s3cret\n');
    writeFileSync(join(folder, '1-config-motd-0123456789abcdef'), 'hello-config');
    writeFileSync(join(folder, '2-secret-pw-0123456789abcdef.1a2b3c4d.tmp'), 'half-written');
    const line = 'token mounted-s3cret motd hello-config tmp half-written';
    expect(outputExcerpt(line)).toBe(line);
    await rememberMountedSecrets(stateDir, 'shop');
    expect(outputExcerpt(line)).toBe('token *** motd hello-config tmp half-written');
    await expect(rememberMountedSecrets(stateDir, 'no-such-project')).resolves.toBeUndefined();
  });
});
