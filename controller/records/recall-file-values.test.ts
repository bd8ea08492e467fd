import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { digestOf, valueOf } from '../../specs/file-values.js';
import type { DesiredObject, FileValueSpec } from '../../specs/model.js';
import { recallFileValues } from './recall-file-values.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'berth-recall-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A value no earlier read of this process can have remembered. */
const fresh = () => Buffer.from(`value-${randomBytes(8).toString('hex')}`);
const secret = (name: string, source: FileValueSpec['source'], bytes: Buffer) =>
  ({
    kind: 'Secret',
    name,
    labels: {},
    spec: { source, digest: digestOf(bytes) },
  }) as unknown as DesiredObject;

describe('recallFileValues (rollback of a set with secrets; new-user trial F21)', () => {
  it('re-reads a file, a variable and inline content that still hold the recorded value', async () => {
    const [a, b, c] = [fresh(), fresh(), fresh()];
    await writeFile(join(dir, 'a.txt'), a);
    await recallFileValues(
      [
        secret('a', { file: join(dir, 'a.txt') }, a),
        secret('b', { env: 'B_VALUE' }, b),
        secret('c', { content: c.toString('utf8') }, c),
      ],
      dir,
      'p',
      { B_VALUE: b.toString('utf8') },
    );
    for (const bytes of [a, b, c]) expect(valueOf(digestOf(bytes))).toEqual(bytes);
  });

  it('falls back to the file berth wrote for a container when the source changed', async () => {
    const old = fresh();
    await writeFile(join(dir, 'a.txt'), fresh());
    const written = join(dir, 'p', 'files', 'web');
    await mkdir(written, { recursive: true });
    await writeFile(join(written, `0-secret-a-${digestOf(old).slice('sha256:'.length)}`), old);
    await recallFileValues([secret('a', { file: join(dir, 'a.txt') }, old)], dir, 'p', {});
    expect(valueOf(digestOf(old))).toEqual(old);
  });

  it('refuses, naming the object and its source but never a value, when neither has it', async () => {
    const [old, now] = [fresh(), fresh()];
    await writeFile(join(dir, 'a.txt'), now);
    const recall = recallFileValues([secret('a', { file: join(dir, 'a.txt') }, old)], dir, 'p', {});
    await expect(recall).rejects.toMatchObject({
      code: 'E_STATE',
      message: expect.stringMatching(
        /^the value of Secret\/a \(file .*a\.txt\) .* no longer there/,
      ),
    });
    await expect(recall).rejects.not.toMatchObject({
      message: expect.stringContaining(now.toString('utf8')),
    });
  });
});
