import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../index.js';
import { tempDir } from '../../test/support/temp-dir.js';

/**
 * F129: a value-less env entry (`NAME:`) passes berth's variable through, as Compose's
 * `environment: [NAME]` does: set to its value (environment, then .env), left out — not set
 * blank — when it is unset.
 */
const MANIFEST = `apiVersion: berth/v1
kind: Container
metadata: {name: web}
spec:
  image: busybox:1.36
  env:
    PASSED:
    VERSION: 1.10
    FIXED: "x"
`;

async function envOf(env: NodeJS.ProcessEnv, dotenv?: string) {
  const dir = tempDir('berth-env-pass-');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'app.yaml'), MANIFEST);
  if (dotenv !== undefined) writeFileSync(join(dir, '.env'), dotenv);
  const loaded = await loadManifests([dir], { cwd: dir, env });
  expect(loaded.problems).toEqual([]);
  const web = loaded.set.objects.find((o) => o.kind === 'Container');
  return web?.kind === 'Container' ? web.spec.env : undefined;
}

describe('env: a value-less entry passes the variable through (F129)', () => {
  it('is left out when the variable is unset', async () => {
    expect(await envOf({})).toEqual({ FIXED: 'x', VERSION: '1.10' });
  });
  it('takes berth’s environment first, then .env; set empty, it is set empty', async () => {
    expect(await envOf({ PASSED: 'shell' }, 'PASSED=file\n')).toMatchObject({ PASSED: 'shell' });
    expect(await envOf({}, 'PASSED=file\n')).toMatchObject({ PASSED: 'file' });
    expect(await envOf({ PASSED: '' })).toMatchObject({ PASSED: '' });
  });
});
