import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ContainerObject, DesiredObject } from '../../specs/model.js';
import { desiredFrom } from '../../test/support/manifests.js';
import {
  changedFields,
  containerFieldChanges,
  containerFieldHashes,
  describeFieldChanges,
  encodeFieldHashes,
  legacyMountsHash,
} from './spec-fields.js';

const set = (env: string, type: string, hostPath = '/srv/site') =>
  desiredFrom(`apiVersion: berth/v1
kind: BindMount
metadata: {name: site}
spec: {hostPath: ${hostPath}, type: ${type}}
---
apiVersion: berth/v1
kind: Container
metadata: {name: web}
spec:
  image: localhost/berth-busybox:1
  env: {MODE: ${env}}
  mounts: [{bindMount: site, target: /srv}]
`);
const web = (objects: DesiredObject[]) =>
  objects.find((o) => o.kind === 'Container') as ContainerObject;

/** The per-field causes of a recreate from `a` to `b`, as the planner computes them. */
function causes(a: DesiredObject[], b: DesiredObject[]): string[] {
  const label = encodeFieldHashes(containerFieldHashes(web(a), a));
  return changedFields(label, containerFieldHashes(web(b), b));
}

describe('recreate fields: one definition for the spec hash and the causes', () => {
  it('a BindMount type change changes neither (a host-side check only)', async () => {
    const a = await set('one', 'Directory');
    const b = await set('one', 'DirectoryOrCreate');
    expect(web(b).specHash).toBe(web(a).specHash);
    expect(causes(a, b)).toEqual([]);
  });

  it('a change that recreates is named, with old and new values', async () => {
    const a = await set('one', 'Directory');
    const b = await set('two', 'Directory', '/srv/other');
    expect(web(b).specHash).not.toBe(web(a).specHash);
    expect(causes(a, b)).toEqual(['env', 'mounts']);
    const changes = containerFieldChanges(
      { container: web(a), desired: a },
      { container: web(b), desired: b },
    );
    expect(changes.map((c) => c.field)).toEqual(['env', 'mounts']);
    expect(changes[0]).toEqual({ field: 'env', from: { MODE: 'one' }, to: { MODE: 'two' } });
  });

  it('hash and causes agree: equal hashes exactly when no field differs', async () => {
    const variants = await Promise.all([
      set('one', 'Directory'),
      set('one', 'File'),
      set('two', 'Directory'),
      set('one', 'Directory', '/srv/x'),
    ]);
    for (const a of variants)
      for (const b of variants)
        expect(web(a).specHash === web(b).specHash).toBe(causes(a, b).length === 0);
  });
});

describe('field hashes across passes (issue 11: berth watch plans one set again and again)', () => {
  it('hashes a set once, hands out copies, and hashes a new set (or host path) afresh', async () => {
    const a = await set('one', 'Directory');
    const first = containerFieldHashes(web(a), a);
    first.extra = 'changed by a caller';
    expect(containerFieldHashes(web(a), a)).not.toHaveProperty('extra');
    expect(containerFieldHashes(web(a), a)).toEqual(containerFieldHashes(web(a), [...a]));
    const moved = await set('one', 'Directory', '/srv/other');
    expect(containerFieldHashes(web(moved), moved)).not.toEqual(containerFieldHashes(web(a), a));
  });
});

describe('a changed Secret or Config value is named, never as "mounts" (F85)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-fields-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const withSecret = async (value: string, target = '/run/token') => {
    writeFileSync(join(dir, 'token.txt'), value);
    return desiredFrom(
      `apiVersion: berth/v1
kind: Secret
metadata: {name: api-token}
spec: {file: ./token.txt}
---
apiVersion: berth/v1
kind: Container
metadata: {name: web}
spec:
  image: localhost/berth-busybox:1
  mounts: [{secret: api-token, target: ${target}}]
`,
      dir,
    );
  };

  it('names the secret whose value changed, and mounts only when a mount changed', async () => {
    const a = await withSecret('tok-CANARY-1');
    const b = await withSecret('tok-CANARY-2');
    expect(web(b).specHash).not.toBe(web(a).specHash);
    expect(causes(a, b)).toEqual(['Secret.api-token']);
    expect(describeFieldChanges(causes(a, b))).toBe('Secret api-token changed');
    const moved = await withSecret('tok-CANARY-2', '/run/other');
    expect(describeFieldChanges(causes(a, moved))).toBe(
      'spec changed: mounts; Secret api-token changed',
    );
    expect(JSON.stringify(containerFieldHashes(web(b), b))).not.toContain('CANARY');
  });

  it('reads a label written before values had entries as before: mounts', async () => {
    const a = await withSecret('tok-CANARY-1');
    const b = await withSecret('tok-CANARY-2');
    const old: Record<string, string> = {
      ...containerFieldHashes(web(a), a),
      mounts: legacyMountsHash(web(a), a),
    };
    delete old['Secret.api-token'];
    const label = encodeFieldHashes(old);
    const now = containerFieldHashes(web(b), b);
    expect(changedFields(label, now, legacyMountsHash(web(b), b))).toEqual(['mounts']);
    expect(
      changedFields(label, containerFieldHashes(web(a), a), legacyMountsHash(web(a), a)),
    ).toEqual([]);
  });
});
