import { describe, expect, it } from 'vitest';
import { checkSet, dependencyOrder, loadManifests } from './index.js';
import type { DesiredObject } from './model.js';

const container = (name: string, spec: string) =>
  `---\napiVersion: berth/v1\nkind: Container\nmetadata: {name: ${name}}\nspec: {image: "a:1"${spec}}\n`;

async function objects(yaml: string): Promise<DesiredObject[]> {
  return (await loadManifests(['-'], { stdin: yaml })).set.objects;
}

describe('checkSet', () => {
  it('shows the whole cycle once', async () => {
    const set = await objects(
      container('a', ', dependsOn: [{container: b}]') +
        container('b', ', dependsOn: [{container: c}]') +
        container('c', ', dependsOn: [{container: a}]'),
    );
    const problems = checkSet(set);
    expect(problems.map((p) => [p.code, p.message])).toEqual([
      ['E_CYCLE', 'Container "c": dependsOn forms a cycle: a -> b -> c -> a'],
    ]);
  });

  it('container:NAME of a replicated container joins its replica 1; naming itself is one problem', async () => {
    const loaded = await loadManifests(['-'], {
      stdin:
        container('web', ', replicas: 2') +
        container('side', ', networkMode: "container:web", pid: "container:web"'),
    });
    expect(loaded.problems).toEqual([]);
    const side = loaded.set.objects.find((o) => o.name === 'side');
    if (side?.kind !== 'Container') throw new Error('side not loaded');
    expect([side.spec.networkMode, side.spec.pid]).toEqual(['container:web-1', 'container:web-1']);
    expect(side.spec.dependsOn.map((d) => d.container)).toEqual(['web-1', 'web-2']);
    const self = await loadManifests(['-'], {
      stdin: container('web', ', replicas: 2, networkMode: "container:web"'),
    });
    expect(self.problems.map((p) => [p.code, p.message])).toEqual([
      ['E_REFERENCE', 'Container "web-1": spec.networkMode names this container itself'],
      ['E_REFERENCE', 'Container "web-2": spec.networkMode names this container itself'],
    ]);
  });

  it('an undeclared Image name says how to write a registry image, and the declared one meant (F664)', async () => {
    const image =
      '---\napiVersion: berth/v1\nkind: Image\nmetadata: {name: busybox}\nspec: {ref: "localhost/bb:1"}\n';
    const loaded = await loadManifests(['-'], {
      stdin:
        image +
        '---\napiVersion: berth/v1\nkind: Container\nmetadata: {name: web}\nspec: {image: busybx}\n',
    });
    expect(loaded.problems.map((p) => [p.code, p.message])).toEqual([
      [
        'E_REFERENCE',
        'Container "web": spec.image names Image "busybx", which is not declared; did you mean Image "busybox"? (an image from a registry is written with its tag: busybx:latest)',
      ],
    ]);
  });

  it('leaves a static address on an external network to the engine', async () => {
    const loaded = await loadManifests(['-'], {
      stdin:
        '---\napiVersion: berth/v1\nkind: Network\nmetadata: {name: lan}\nspec: {external: true, name: macvlan4}\n' +
        container('web', ', networks: [{network: lan, ipv4Address: 192.168.4.20}]'),
    });
    expect(loaded.problems).toEqual([]);
  });

  it('finds port clashes only on overlapping addresses and the same protocol', async () => {
    const clash = async (a: string, b: string) =>
      checkSet(
        await objects(container('a', `, ports: ["${a}"]`) + container('b', `, ports: ["${b}"]`)),
      ).map((p) => p.code);
    expect(await clash('8080:80', '8080:81')).toEqual(['E_DUPLICATE_PORT']);
    expect(await clash('127.0.0.1:8080:80', '8080:81')).toEqual(['E_DUPLICATE_PORT']);
    expect(await clash('0.0.0.0:8080:80', '127.0.0.2:8080:81')).toEqual(['E_DUPLICATE_PORT']);
    expect(await clash('127.0.0.1:8080:80', '127.0.0.2:8080:81')).toEqual([]);
    expect(await clash('8080:80/udp', '8080:80/tcp')).toEqual([]);
    expect(await clash('80', '80')).toEqual([]);
  });

  it('names the first earlier binding a port clashes with, whatever lies between', async () => {
    const set = await objects(
      container('a', ', ports: ["127.0.0.1:8080:80", "9000:90"]') +
        container('b', ', ports: ["127.0.0.2:8080:80", "8000-8090:81", "8080:80/udp"]') +
        container('c', ', ports: ["8080:82"]') +
        container('d', ', ports: ["127.0.0.2:8080:83", "9000:91/udp", "9000:92"]'),
    );
    expect(checkSet(set).map((p) => `${p.line}:${p.column} ${p.message}`)).toEqual([
      '15:30 Container "c": host port 8080/tcp is already published by Container "a"',
      '20:30 Container "d": host port 8080/tcp is already published by Container "b"',
      '20:66 Container "d": host port 9000/tcp is already published by Container "a"',
    ]);
  });

  it('works on objects alone, falling back to document positions for copies', async () => {
    const [web] = await objects(container('web', ', networks: [missing]'));
    if (!web) throw new Error('not loaded');
    const copy = structuredClone(web);
    const [problem] = checkSet([copy]);
    expect(problem).toMatchObject({
      code: 'E_REFERENCE',
      line: web.source.line,
      column: web.source.column,
    });
    expect(checkSet([web])[0]).toMatchObject({ code: 'E_REFERENCE', line: 5, column: 33 });
  });

  it('a name declared twice, one copy replicated, is one problem about the declared name (F800)', async () => {
    const plain = container('web', ', ports: ["127.0.0.1:18200:80"]');
    const scaled = container('web', ', replicas: 2');
    const said = async (stdin: string) =>
      (await loadManifests(['-'], { stdin })).problems.map(
        (p) => `${p.line}:${p.column} ${p.code} ${p.message}`,
      );
    expect(await said(plain + scaled)).toEqual([
      '9:18 E_DUPLICATE_NAME Container "web": is declared twice; the first is at <stdin>:4:18',
    ]);
    expect(await said(scaled + plain)).toEqual([
      '9:18 E_DUPLICATE_NAME Container "web": is declared twice; the first is at <stdin>:4:18',
    ]);
    // An instance's engine name declared again is still caught, by that name.
    expect(await said(scaled + container('web-2', ''))).toEqual([
      '9:18 E_DUPLICATE_NAME Container "web-2": is declared twice; the first is at <stdin>:4:18',
    ]);
  });

  it('does not call a reference to a declared-but-broken object dangling', async () => {
    const set = await objects(container('web', ', mounts: [{volume: data, target: /d}]'));
    expect(checkSet(set).map((p) => p.code)).toEqual(['E_REFERENCE']);
    expect(checkSet(set, { alsoDeclared: [{ kind: 'Volume', name: 'data' }] })).toEqual([]);
  });
});

describe('dependencyOrder', () => {
  it('puts resources first, then containers after their dependencies', async () => {
    const set = await objects(
      container('web', ', dependsOn: [{container: api}]') +
        container('api', ', dependsOn: [{container: db}, {container: cache}]') +
        container('db', '') +
        container('cache', '') +
        '---\napiVersion: berth/v1\nkind: Volume\nmetadata: {name: data}\n' +
        '---\napiVersion: berth/v1\nkind: Network\nmetadata: {name: net}\n',
    );
    expect(dependencyOrder(set).map((level) => level.map((o) => `${o.kind}/${o.name}`))).toEqual([
      ['Network/default', 'Network/net', 'Volume/data'],
      ['Container/cache', 'Container/db'],
      ['Container/api'],
      ['Container/web'],
    ]);
  });

  it('keeps containers caught in a cycle, last', async () => {
    const set = await objects(
      container('a', ', dependsOn: [{container: b}]') +
        container('b', ', dependsOn: [{container: a}]') +
        container('c', ''),
    );
    expect(dependencyOrder(set).map((level) => level.map((o) => o.name))).toEqual([
      ['default'],
      ['c'],
      ['a', 'b'],
    ]);
  });
});

describe('loadManifests with hash: false (validate)', () => {
  it('checks the same set and leaves the spec hashes empty', async () => {
    const yaml = container('a', ', ports: ["8080:80"]') + container('b', ', ports: ["8080:80"]');
    const hashed = await loadManifests(['-'], { stdin: yaml });
    const plain = await loadManifests(['-'], { stdin: yaml, hash: false });
    expect(hashed.set.objects.every((o) => o.specHash !== '')).toBe(true);
    expect(plain.set.objects.map((o) => o.specHash)).toEqual(hashed.set.objects.map(() => ''));
    expect(plain.problems).toEqual(hashed.problems);
    expect(plain.problems.map((p) => p.code)).toEqual(['E_DUPLICATE_PORT']);
  });
});
