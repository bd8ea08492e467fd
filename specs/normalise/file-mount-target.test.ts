import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/support/temp-dir.js';
import { loadManifests } from '../index.js';
import type { ContainerObject } from '../model.js';

const OBJECTS = `---
apiVersion: berth/v1
kind: Secret
metadata: {name: token}
spec: {env: HOME}
---
apiVersion: berth/v1
kind: Config
metadata: {name: conf}
spec: {content: y}
`;

/** The container paths of the secret and config mounts of a Container with these mounts. */
async function targets(mounts: string[]): Promise<string[]> {
  const file = join(tempDir('berth-file-target-'), 'app.yaml');
  const head = ['apiVersion: berth/v1', 'kind: Container', 'metadata: {name: app}', 'spec:'];
  writeFileSync(file, [...head, '  image: busybox:1', '  mounts:', ...mounts, OBJECTS].join('\n'));
  const result = await loadManifests([file]);
  expect(result.problems).toEqual([]);
  const app = result.set.objects.find((o) => o.kind === 'Container') as ContainerObject;
  return app.spec.mounts.map((m) => m.target);
}

describe('secret and config targets, as Compose reads them (F491)', () => {
  it('a relative target is under /run/secrets (secret) or / (config), never handed on relative', async () => {
    expect(
      await targets([
        '    - {secret: token, target: token.txt}',
        '    - {config: conf, target: etc/app.conf}',
      ]),
    ).toEqual(['/run/secrets/token.txt', '/etc/app.conf']);
  });

  it('no target is the default path; an absolute one is kept', async () => {
    expect(
      await targets([
        '    - {secret: token}',
        '    - {config: conf}',
        '    - {secret: token, target: /etc/token}',
      ]),
    ).toEqual(['/run/secrets/token', '/conf', '/etc/token']);
  });
});
