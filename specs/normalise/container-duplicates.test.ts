import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadManifests } from '../index.js';
import { formatProblem } from '../problems.js';

const dir = mkdtempSync(join(tmpdir(), 'berth-duplicates-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const OBJECTS = `---
apiVersion: berth/v1
kind: Volume
metadata: {name: v}
---
apiVersion: berth/v1
kind: Volume
metadata: {name: w}
---
apiVersion: berth/v1
kind: Network
metadata: {name: default}
---
apiVersion: berth/v1
kind: Secret
metadata: {name: token}
spec: {env: HOME}
`;

/**
 * Every problem, formatted, of a Container `bad` with these spec lines (beside Volumes v and w,
 * Network default and Secret token).
 */
async function problems(spec: string[]): Promise<string[]> {
  const file = join(dir, 'app.yaml');
  const head = ['apiVersion: berth/v1', 'kind: Container', 'metadata: {name: bad}', 'spec:'];
  writeFileSync(file, [...head, '  image: busybox:1', ...spec, OBJECTS].join('\n'));
  const result = await loadManifests([file]);
  return result.problems.map((p) => formatProblem(p).replace(`${dir}/`, ''));
}

describe('one container path, one mount (F461)', () => {
  it('refuses a second mount at a path, at its target, naming the first', async () => {
    expect(
      await problems([
        '  mounts:',
        '    - {volume: v, target: /data}',
        '    - {volume: w, target: /data}',
      ]),
    ).toEqual([
      'app.yaml:8:27: Container "bad": spec.mounts[1].target /data is already mounted by spec.mounts[0] (line 7); the engine takes one mount per container path [E_DUPLICATE_MOUNT]',
    ]);
  });

  it('compares paths as the engine does, across volume, tmpfs and secret mounts', async () => {
    expect(
      await problems([
        '  mounts:',
        '    - {volume: v, target: /data}',
        '    - {tmpfs: /data/}',
        '    - {tmpfs: /t, size: 64Mi}',
        '    - {tmpfs: /x/../t}',
        '    - {secret: token}',
        '    - {volume: w, target: /run/secrets/token}',
      ]),
    ).toEqual([
      'app.yaml:8:15: Container "bad": spec.mounts[1].tmpfs /data is already mounted by spec.mounts[0] (line 7); the engine takes one mount per container path [E_DUPLICATE_MOUNT]',
      'app.yaml:10:15: Container "bad": spec.mounts[3].tmpfs /t is already mounted by spec.mounts[2] (line 9); the engine takes one mount per container path [E_DUPLICATE_MOUNT]',
      'app.yaml:12:27: Container "bad": spec.mounts[5].target /run/secrets/token is already mounted by spec.mounts[4] (line 11); the engine takes one mount per container path [E_DUPLICATE_MOUNT]',
    ]);
  });

  it("names a secret's default target when none is written", async () => {
    expect(
      await problems(['  mounts:', '    - {tmpfs: /run/secrets/token}', '    - {secret: token}']),
    ).toEqual([
      'app.yaml:8:7: Container "bad": spec.mounts[1] /run/secrets/token (its default target) is already mounted by spec.mounts[0] (line 7); the engine takes one mount per container path [E_DUPLICATE_MOUNT]',
    ]);
  });

  it('takes nested paths and one source at two paths', async () => {
    expect(
      await problems([
        '  mounts:',
        '    - {volume: v, target: /data}',
        '    - {volume: v, target: /data/sub}',
        '    - {volume: v, target: /other}',
      ]),
    ).toEqual([]);
  });
});

describe('one network, one attachment (F461)', () => {
  it('refuses a network listed twice, at the second entry, naming the first', async () => {
    expect(await problems(['  networks: [default, {network: default, aliases: [x]}]'])).toEqual([
      'app.yaml:6:33: Container "bad": spec.networks[1].network default is already listed by spec.networks[0] (line 6); give one entry all its aliases and addresses [E_DUPLICATE_NETWORK]',
    ]);
    expect(
      await problems(['  networks:', '    - {network: default, aliases: [x]}', '    - default']),
    ).toEqual([
      'app.yaml:8:7: Container "bad": spec.networks[1] default is already listed by spec.networks[0] (line 7); give one entry all its aliases and addresses [E_DUPLICATE_NETWORK]',
    ]);
  });
});
