import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rememberValue } from '../../specs/file-values.js';
import type { DesiredObject, FileMount } from '../../specs/model.js';
import { containerObject } from '../status/testing/fixtures.js';
import { fileMountPath } from '../plan/file-mount-paths.js';
import { writeFileMounts } from './file-mounts.js';

const state = mkdtempSync(join(tmpdir(), 'berth-file-mounts-'));
afterAll(() => rmSync(state, { recursive: true, force: true }));

const mount: FileMount = { type: 'secret', name: 'pw', target: '/run/secrets/pw', mode: 0o400 };
const container = containerObject('web', { mounts: [mount] });
const secret = (value: string): DesiredObject =>
  ({
    kind: 'Secret',
    name: 'pw',
    labels: {},
    source: { file: '/srv/app/app.yaml', line: 1, column: 1 },
    spec: {
      source: { file: '/srv/app/pw.txt' },
      digest: rememberValue(Buffer.from(value), 'secret'),
    },
  }) as DesiredObject;

describe('writeFileMounts', () => {
  it("keeps the old value's file while the container on the engine still mounts it (F170)", async () => {
    const before = [container, secret('one')];
    const after = [container, secret('two')];
    const old = fileMountPath(state, 'p', container, mount, before);
    const fresh = fileMountPath(state, 'p', container, mount, after);
    mkdirSync(join(old, '..'), { recursive: true });
    writeFileSync(old, 'one');
    // The update writes the new value beside the old container, which still mounts its file.
    await writeFileMounts(state, 'p', container, after, new Set([old]));
    expect([existsSync(old), existsSync(fresh)]).toEqual([true, true]);
    // Once no container mounts it (the old one removed, or never there), it goes.
    await writeFileMounts(state, 'p', container, after);
    expect([existsSync(old), existsSync(fresh)]).toEqual([false, true]);
  });
});
