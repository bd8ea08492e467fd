import { mkdir, mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DesiredStore } from './desired-store.js';

const container = (name: string, args = 'sleep 1') => `apiVersion: berth/v1
kind: Container
metadata: {name: ${name}}
spec:
  image: localhost/berth-busybox:1
  args: ["${args}"]
`;
const network = (name: string) => `apiVersion: berth/v1
kind: Network
metadata: {name: ${name}}
spec: {}
`;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'berth-store-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const names = (store: DesiredStore) =>
  store
    .snapshot()
    .objects.map((o) => `${o.kind}/${o.name}`)
    .sort();

describe('DesiredStore', () => {
  it('with ifChanged, parses again only when a manifest file changed', async () => {
    await writeFile(join(dir, 'a.yaml'), container('web'));
    let loads = 0;
    const store = new DesiredStore({
      dir,
      allowEmpty: false,
      load: async (...args) => {
        loads++;
        return (await import('../../specs/index.js')).loadManifests(...args);
      },
    });
    await store.reload();
    await store.reload({ ifChanged: true });
    expect(loads).toBe(1);
    await writeFile(join(dir, 'a.yaml'), container('web', 'sleep 2'));
    expect((await store.reload({ ifChanged: true })).changed).toEqual(['Container/web']);
    expect(loads).toBe(2);
    await store.reload();
    expect(loads).toBe(3);
  });

  it('with ifChanged, reads again when a file the set references changed (F122)', async () => {
    await writeFile(join(dir, 'pw.txt'), 'one');
    await writeFile(join(dir, 'app.env'), 'A=1\n');
    await mkdir(join(dir, 'img'));
    await writeFile(join(dir, 'img', 'Dockerfile'), 'FROM scratch\nCOPY msg.txt /\n');
    await writeFile(join(dir, 'img', 'msg.txt'), 'one');
    await writeFile(join(dir, 'img', '.dockerignore'), 'ignored.txt\n');
    await writeFile(
      join(dir, 'a.yaml'),
      `apiVersion: berth/v1
kind: Secret
metadata: {name: pw}
spec: {file: ./pw.txt}
---
apiVersion: berth/v1
kind: Image
metadata: {name: img}
spec: {ref: local/img:1, build: {context: ./img}}
---
${container('web')}  envFiles: [./app.env]
  mounts: [{secret: pw}]
`,
    );
    const store = new DesiredStore({ dir, allowEmpty: false });
    await store.reload();
    expect(store.snapshot().problems).toEqual([]);
    expect((await store.reload({ ifChanged: true })).changed).toEqual([]);
    await writeFile(join(dir, 'pw.txt'), 'two');
    expect((await store.reload({ ifChanged: true })).changed).toEqual([
      'Container/web',
      'Secret/pw',
    ]);
    await writeFile(join(dir, 'app.env'), 'A=2\n');
    expect((await store.reload({ ifChanged: true })).changed).toEqual(['Container/web']);
    await writeFile(join(dir, 'img', 'msg.txt'), 'two');
    expect((await store.reload({ ifChanged: true })).changed).toEqual(['Image/img']);
    // What .dockerignore leaves out is no part of the image: not even looked at.
    await writeFile(join(dir, 'img', 'ignored.txt'), 'x');
    let loads = 0;
    const counting = new DesiredStore({
      dir,
      allowEmpty: false,
      load: async (...args) => {
        loads++;
        return (await import('../../specs/index.js')).loadManifests(...args);
      },
    });
    await counting.reload();
    // The first read took the stats of paths no earlier set referenced: one more read settles.
    await counting.reload({ ifChanged: true });
    const settled = loads;
    await counting.reload({ ifChanged: true });
    await writeFile(join(dir, 'img', 'ignored.txt'), 'y');
    await counting.reload({ ifChanged: true });
    expect(loads).toBe(settled);
  });

  it('reads the folder and reports the keys that changed', async () => {
    await writeFile(join(dir, 'a.yaml'), container('web'));
    await writeFile(join(dir, 'b.yml'), network('net'));
    const store = new DesiredStore({ dir, allowEmpty: false });
    expect((await store.reload()).changed).toEqual([
      'Container/web',
      'Network/default',
      'Network/net',
    ]);
    expect(store.snapshot().prune).toBe(true);
    expect((await store.reload()).changed).toEqual([]);
    await writeFile(join(dir, 'a.yaml'), container('web', 'sleep 2'));
    expect((await store.reload()).changed).toEqual(['Container/web']);
    await unlink(join(dir, 'b.yml'));
    expect((await store.reload()).changed).toEqual(['Network/net']);
    expect(names(store)).toEqual(['Container/web', 'Network/default']);
  });

  it('keeps the last good objects of a broken file, with its problems, and still prunes others', async () => {
    await writeFile(join(dir, 'a.yaml'), container('web'));
    await writeFile(join(dir, 'b.yaml'), network('net'));
    const store = new DesiredStore({ dir, allowEmpty: false });
    await store.reload();
    await writeFile(join(dir, 'a.yaml'), 'kind: Container\nmetadata: {name: web\n');
    const broken = await store.reload();
    expect(broken.changed).toEqual([]);
    expect(names(store)).toEqual(['Container/web', 'Network/default', 'Network/net']);
    expect(broken.snapshot.problems.length).toBeGreaterThan(0);
    expect(broken.snapshot.problems[0]?.file).toContain('a.yaml');
    expect(broken.snapshot.prune).toBe(true);
    await writeFile(join(dir, 'a.yaml'), container('web', 'sleep 3'));
    expect((await store.reload()).changed).toEqual(['Container/web']);
    expect(store.snapshot().problems).toEqual([]);
  });

  it('a container in a clean file keeps the Image a broken file declared, as last good (F661)', async () => {
    const image = (ref: string) =>
      `apiVersion: berth/v1\nkind: Image\nmetadata: {name: appimg}\nspec: {ref: ${ref}}\n`;
    await writeFile(join(dir, 'images.yaml'), image('"localhost/app:1"'));
    await writeFile(
      join(dir, 'app.yaml'),
      'apiVersion: berth/v1\nkind: Container\nmetadata: {name: app}\nspec: {image: appimg}\n',
    );
    const store = new DesiredStore({ dir, allowEmpty: false });
    await store.reload();
    const app = () => store.snapshot().objects.find((o) => o.kind === 'Container');
    const before = app();
    expect(before?.kind === 'Container' && before.spec.image).toEqual({
      object: 'appimg',
      ref: 'localhost/app:1',
    });
    // A type error (valid YAML): the Image keeps its last good object, and the container that
    // uses it must not fall back to the literal reference `appimg` (a replace every re-read).
    await writeFile(join(dir, 'images.yaml'), image('12'));
    const broken = await store.reload();
    expect(broken.snapshot.problems.length).toBeGreaterThan(0);
    expect(broken.changed).toEqual([]);
    const after = app();
    expect(after?.kind === 'Container' && after.spec.image).toEqual({
      object: 'appimg',
      ref: 'localhost/app:1',
    });
    expect(after?.specHash).toBe(before?.specHash);
  });

  it('a file emptied by a rewrite keeps its objects until it has content again; deleting it removes them (F342)', async () => {
    await writeFile(join(dir, 'a.yaml'), container('web'));
    await writeFile(join(dir, 'b.yaml'), network('net'));
    const store = new DesiredStore({ dir, allowEmpty: false });
    await store.reload();
    for (const emptied of ['', '\n', '# rendered by a tool\n']) {
      await writeFile(join(dir, 'a.yaml'), emptied);
      const read = await store.reload();
      expect(read.changed).toEqual([]);
      expect(names(store)).toEqual(['Container/web', 'Network/default', 'Network/net']);
      expect(read.snapshot.problems).toMatchObject([
        { file: expect.stringContaining('a.yaml'), line: 1, column: 1, code: 'E_EMPTY' },
      ]);
      expect(read.snapshot.problems[0]?.message).toMatch(/delete the file to remove them/);
      // What other files no longer declare is still pruned.
      expect(read.snapshot.prune).toBe(true);
    }
    await writeFile(join(dir, 'a.yaml'), container('web', 'sleep 3'));
    expect((await store.reload()).changed).toEqual(['Container/web']);
    expect(store.snapshot().problems).toEqual([]);
    await unlink(join(dir, 'a.yaml'));
    expect((await store.reload()).changed).toEqual(['Container/web', 'Network/default']);
    expect(names(store)).toEqual(['Network/net']);
  });

  it('a file broken when the controller starts keeps the objects last applied from it (F117)', async () => {
    await writeFile(join(dir, 'a.yaml'), container('web'));
    await writeFile(join(dir, 'b.yaml'), network('net'));
    // What the last run applied: read as it was then.
    const before = new DesiredStore({ dir, allowEmpty: false });
    await before.reload();
    const applied = before.snapshot().objects;
    await writeFile(join(dir, 'a.yaml'), 'kind: [\n');
    const store = new DesiredStore({ dir, allowEmpty: false });
    store.seedLastGood(applied);
    const first = await store.reload();
    expect(names(store)).toEqual(['Container/web', 'Network/default', 'Network/net']);
    expect(first.snapshot.prune).toBe(true);
    expect(first.snapshot.problems[0]?.file).toContain('a.yaml');
    // A file that reads cleanly is its own truth: its seed does not outlive it.
    await writeFile(join(dir, 'a.yaml'), network('other'));
    await store.reload();
    expect(names(store)).toEqual(['Network/net', 'Network/other']);
  });

  it('a broken file’s last good objects give way to what another file declares now (the default network)', async () => {
    await writeFile(join(dir, 'a.yaml'), container('web'));
    await writeFile(join(dir, 'b.yaml'), container('api'));
    const store = new DesiredStore({ dir, allowEmpty: false });
    await store.reload();
    await writeFile(join(dir, 'a.yaml'), 'kind: [\n');
    const broken = await store.reload();
    expect(broken.snapshot.notice).not.toMatch(/inconsistent/);
    expect(names(store)).toEqual(['Container/api', 'Container/web', 'Network/default']);
  });

  it('prunes nothing while a file is broken that never was good', async () => {
    await writeFile(join(dir, 'a.yaml'), 'kind: [\n');
    await writeFile(join(dir, 'b.yaml'), network('net'));
    const store = new DesiredStore({ dir, allowEmpty: false });
    await store.reload();
    expect(names(store)).toEqual(['Network/net']);
    expect(store.snapshot().prune).toBe(false);
  });

  it('keeps the last set when the folder empties or vanishes, unless --allow-empty', async () => {
    await writeFile(join(dir, 'a.yaml'), container('web'));
    const store = new DesiredStore({ dir, allowEmpty: false });
    await store.reload();
    await unlink(join(dir, 'a.yaml'));
    const emptied = await store.reload();
    expect(emptied.changed).toEqual([]);
    expect(emptied.snapshot).toMatchObject({ prune: false });
    expect(emptied.snapshot.notice).toMatch(/allow-empty/);
    expect(names(store)).toEqual(['Container/web', 'Network/default']);
    await rm(dir, { recursive: true });
    const vanished = await store.reload();
    expect(names(store)).toEqual(['Container/web', 'Network/default']);
    expect(vanished.snapshot.prune).toBe(false);

    const permissive = new DesiredStore({
      dir: join(tmpdir(), 'berth-store-none'),
      allowEmpty: true,
    });
    expect((await permissive.reload()).snapshot.prune).toBe(false);
  });

  it('with --allow-empty an emptied folder deletes everything', async () => {
    await writeFile(join(dir, 'a.yaml'), container('web'));
    const store = new DesiredStore({ dir, allowEmpty: true });
    await store.reload();
    await unlink(join(dir, 'a.yaml'));
    const emptied = await store.reload();
    expect(emptied.changed).toEqual(['Container/web', 'Network/default']);
    expect(emptied.snapshot).toMatchObject({ objects: [], prune: true });
  });

  it('keeps objects placed on other contexts: each engine gets its part (issue 17)', async () => {
    await writeFile(
      join(dir, 'a.yaml'),
      container('away') + '  placement: {context: far}\n---\n' + container('web'),
    );
    const store = new DesiredStore({ dir, allowEmpty: false, engineContext: 'near' });
    const { snapshot } = await store.reload();
    expect(names(store)).toEqual(['Container/away', 'Container/web', 'Network/default']);
    expect(snapshot).toMatchObject({ problems: [], prune: true });
  });

  it('a container placed apart from the network it uses is E_PLACEMENT at it; its file keeps its last good objects', async () => {
    await writeFile(join(dir, 'a.yaml'), container('web'));
    const farNet = network('net').replace('spec: {}', 'spec: {placement: {context: far}}');
    await writeFile(join(dir, 'n.yaml'), farNet);
    const store = new DesiredStore({ dir, allowEmpty: false, engineContext: 'near' });
    await store.reload();
    expect(names(store)).toEqual(['Container/web', 'Network/default', 'Network/net']);
    await writeFile(join(dir, 'a.yaml'), container('web') + '  networks: [{network: net}]\n');
    const { snapshot, changed } = await store.reload();
    expect(changed).toEqual([]);
    expect(snapshot.prune).toBe(true);
    expect(snapshot.problems).toEqual([
      expect.objectContaining({ code: 'E_PLACEMENT', file: join(dir, 'a.yaml'), line: 2 }),
    ]);
    expect(snapshot.problems[0]?.message).toMatch(
      /Container\/web .* uses Network\/net, placed on context far/,
    );
  });

  it('a changed .env is a changed folder: the periodic re-read sees it (new-user trial F10)', async () => {
    await writeFile(join(dir, 'a.yaml'), container('web', '${V}'));
    await writeFile(join(dir, '.env'), 'V=one\n');
    const store = new DesiredStore({ dir, allowEmpty: false });
    await store.reload();
    expect((await store.reload({ ifChanged: true })).changed).toEqual([]);
    await writeFile(join(dir, '.env'), 'V=two-and-more\n');
    expect((await store.reload({ ifChanged: true })).changed).toEqual(['Container/web']);
  });

  it('a broken .env keeps the whole last set: no file is read without its values (new-user trial F22)', async () => {
    await writeFile(join(dir, 'a.yaml'), container('web', '${F22_MODE:-dev}'));
    await writeFile(join(dir, 'b.yaml'), network('net'));
    await writeFile(join(dir, '.env'), 'F22_MODE=staging\n');
    const store = new DesiredStore({ dir, allowEmpty: false });
    await store.reload();
    const before = store.snapshot().objects;
    await writeFile(join(dir, '.env'), 'F22_MODE=staging\nthis is not valid\n');
    await unlink(join(dir, 'b.yaml'));
    const broken = await store.reload();
    expect(broken.changed).toEqual([]);
    expect(broken.snapshot.objects).toBe(before);
    expect(broken.snapshot.prune).toBe(false);
    expect(broken.snapshot.problems).toEqual([
      expect.objectContaining({ code: 'E_ENV_FILE', line: 2 }),
    ]);
    expect(broken.snapshot.notice).toMatch(/\.env cannot be read as it is; keeping the last set/);
    await writeFile(join(dir, '.env'), 'F22_MODE=prod\n');
    expect((await store.reload()).changed).toEqual(['Container/web', 'Network/net']);
  });
});
