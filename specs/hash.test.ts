import { describe, expect, it } from 'vitest';
import { canonicalJSON, hashValue } from './hash.js';
import { loadManifests } from './index.js';
import type { DesiredObject } from './model.js';

async function load(yaml: string): Promise<DesiredObject[]> {
  const result = await loadManifests(['-'], { stdin: yaml, cwd: '/srv' });
  expect(result.problems).toEqual([]);
  return result.set.objects;
}

const hashOf = (objects: DesiredObject[], key: string): string | undefined =>
  objects.find((o) => `${o.kind}/${o.name}` === key)?.specHash;

const doc = (kind: string, name: string, spec: string): string =>
  `---\napiVersion: berth/v1\nkind: ${kind}\nmetadata: {name: ${name}}\nspec: ${spec}\n`;

describe('canonicalJSON', () => {
  it('sorts keys at every level and drops undefined', () => {
    expect(canonicalJSON({ b: 1, a: { d: [1, { f: 2, e: undefined }], c: null } })).toBe(
      '{"a":{"c":null,"d":[1,{"f":2}]},"b":1}',
    );
    expect(hashValue({ x: 1, y: 2 })).toBe(hashValue({ y: 2, x: 1 }));
    expect(hashValue({ x: 1 })).toMatch(/^[0-9a-f]{16}$/);
  });
});

describe('specHash', () => {
  const base = doc(
    'Container',
    'web',
    '{image: "a:1", env: {A: "1"}, ports: ["8080:80"], stopGracePeriod: 5s}',
  );

  it('is the same for equivalent spellings', async () => {
    const spelled = doc(
      'Container',
      'web',
      '{stopGracePeriod: 5000ms, ports: [{containerPort: 80, hostPort: 8080, protocol: tcp}], env: [{name: A, value: 1}], image: "a:1"}',
    );
    expect(hashOf(await load(spelled), 'Container/web')).toBe(
      hashOf(await load(base), 'Container/web'),
    );
  });

  it('ignores state, dependsOn and restartOnUnhealthy but not other fields', async () => {
    const h = hashOf(await load(base), 'Container/web');
    const variants = {
      same: [
        '{image: "a:1", env: {A: "1"}, ports: ["8080:80"], stopGracePeriod: 5s, state: paused}',
        '{image: "a:1", env: {A: "1"}, ports: ["8080:80"], stopGracePeriod: 5s, dependsOn: [{container: web}]}',
      ],
      different: [
        '{image: "a:2", env: {A: "1"}, ports: ["8080:80"], stopGracePeriod: 5s}',
        '{image: "a:1", env: {A: "2"}, ports: ["8080:80"], stopGracePeriod: 5s}',
        '{image: "a:1", env: {A: "1"}, ports: ["8081:80"], stopGracePeriod: 5s}',
        '{image: "a:1", env: {A: "1"}, ports: ["8080:80"], stopGracePeriod: 6s}',
      ],
    };
    for (const spec of variants.same) {
      // A self-dependency is a cycle; that is fine here: only the hash is compared.
      const result = await loadManifests(['-'], { stdin: doc('Container', 'web', spec) });
      expect(hashOf(result.set.objects, 'Container/web'), spec).toBe(h);
    }
    for (const spec of variants.different) {
      expect(hashOf(await load(doc('Container', 'web', spec)), 'Container/web'), spec).not.toBe(h);
    }
  });

  it('separates restartOnUnhealthy from the rest of the healthcheck', async () => {
    const check = (extra: string) =>
      doc('Container', 'w', `{image: "a:1", healthcheck: {command: [CMD, "true"]${extra}}}`);
    const h = hashOf(await load(check('')), 'Container/w');
    expect(hashOf(await load(check(', restartOnUnhealthy: false')), 'Container/w')).toBe(h);
    expect(hashOf(await load(check(', retries: 4')), 'Container/w')).not.toBe(h);
  });

  it('covers metadata.labels', async () => {
    const labelled = base.replace('metadata: {name: web}', 'metadata: {name: web, labels: {a: b}}');
    expect(hashOf(await load(labelled), 'Container/web')).not.toBe(
      hashOf(await load(base), 'Container/web'),
    );
  });

  it("changes a container's hash when a referenced bind mount or image changes", async () => {
    const set = (hostPath: string, ref: string) =>
      doc('BindMount', 'site', `{hostPath: ${hostPath}}`) +
      doc('Image', 'img', `{ref: "${ref}"}`) +
      doc('Container', 'c', '{image: img, mounts: [{bindMount: site, target: /srv}]}');
    const a = await load(set('./a', 'x:1'));
    const b = await load(set('./b', 'x:1'));
    const c = await load(set('./a', 'x:2'));
    expect(hashOf(b, 'Container/c')).not.toBe(hashOf(a, 'Container/c'));
    expect(hashOf(c, 'Container/c')).not.toBe(hashOf(a, 'Container/c'));
    expect(hashOf(c, 'BindMount/site')).toBe(hashOf(a, 'BindMount/site'));
  });

  it('hashes only the recreate fields of networks and volumes', async () => {
    const volume = (retain: boolean, driver: string) =>
      doc('Volume', 'v', `{retain: ${retain}, driver: ${driver}}`);
    const v = hashOf(await load(volume(true, 'local')), 'Volume/v');
    expect(hashOf(await load(volume(false, 'local')), 'Volume/v')).toBe(v);
    expect(hashOf(await load(volume(true, 'other')), 'Volume/v')).not.toBe(v);
    const network = (internal: boolean) => doc('Network', 'n', `{internal: ${internal}}`);
    expect(hashOf(await load(network(true)), 'Network/n')).not.toBe(
      hashOf(await load(network(false)), 'Network/n'),
    );
  });
});
