import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { digestOf, valueOf } from '../../specs/file-values.js';
import type { SecretObject } from '../../specs/model.js';
import { tempDir } from '../../test/support/temp-dir.js';
import { recoverFileValues, recoverValue } from './file-value-recovery.js';

function secret(name: string, bytes: string, source: SecretObject['spec']['source']): SecretObject {
  return {
    kind: 'Secret',
    name,
    spec: { source, digest: digestOf(Buffer.from(bytes)) },
  } as SecretObject;
}

describe('recovering Secret and Config values a process did not read', () => {
  it('takes the value from the file berth wrote for that digest when the source changed', async () => {
    const state = tempDir('berth-recover-');
    const object = secret('db', 'written-once-1', { file: join(state, 'gone.pw') });
    const hex = object.spec.digest.replace('sha256:', '');
    mkdirSync(join(state, 'shop', 'files', 'web'), { recursive: true });
    writeFileSync(join(state, 'shop', 'files', 'web', `0-secret-db-${hex}`), 'written-once-1');
    expect(await recoverValue(state, 'shop', object)).toBe(true);
    expect(valueOf(object.spec.digest)?.toString()).toBe('written-once-1');
  });

  it('takes a variable only when it still has the recorded value', async () => {
    const state = tempDir('berth-recover-');
    const object = secret('token', 'env-value-2', { env: 'TOKEN' });
    expect(await recoverValue(state, 'shop', object, { TOKEN: 'another' })).toBe(false);
    expect(await recoverValue(state, 'shop', object, { TOKEN: 'env-value-2' })).toBe(true);
  });

  it('names every value found nowhere, never the value', async () => {
    const state = tempDir('berth-recover-');
    const a = secret('a', 'nowhere-3', { file: join(state, 'a.pw') });
    const b = secret('b', 'nowhere-4', { env: 'B' });
    await expect(recoverFileValues(state, 'shop', [a, b], {})).rejects.toThrow(
      /Secret\/a \(file .*a\.pw\), Secret\/b \(variable B\)/,
    );
  });
});
