import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatProblem } from '../../specs/problems.js';
import type { EngineFacts } from '../executor/engine-carry.js';
import { DesiredStore } from './desired-store.js';

/**
 * The watch's desired side when an engine refuses a file's fields (F286): that file keeps
 * back its own objects, and only those.
 */

const PODMAN: EngineFacts = {
  apiVersion: '1.41',
  limits: {
    engine: 'Podman 4.3.1',
    cannotCarry: [{ field: 'domainname', why: 'it drops Domainname' }],
  },
};
const container = (name: string, fields = '') =>
  `apiVersion: berth/v1\nkind: Container\nmetadata: {name: ${name}}\nspec:\n  image: localhost/berth-busybox:1\n${fields}`;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'berth-store-engines-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const keys = (store: DesiredStore) =>
  store
    .snapshot()
    .objects.map((o) => `${o.kind}/${o.name}`)
    .sort();

describe('DesiredStore with an engine that cannot carry a field', () => {
  it('a refused file that holds the added default network keeps back only its own objects (F392)', async () => {
    // a.yaml is read first: the default network berth adds goes into its file.
    await writeFile(join(dir, 'a.yaml'), container('a', '  domainname: corp\n'));
    await writeFile(join(dir, 'b.yaml'), container('b'));
    const store = new DesiredStore({ dir, allowEmpty: false, engineFacts: async () => PODMAN });
    await store.reload();
    const { problems, notice } = store.snapshot();
    expect(problems.map((p) => formatProblem(p))).toEqual([
      expect.stringMatching(/a\.yaml:\d+:\d+: .*domainname cannot be carried .*\[E_ENGINE_FIELD\]/),
    ]);
    expect(notice).not.toMatch(/inconsistent/);
    expect(keys(store)).toEqual(['Container/b', 'Network/default']);
  });

  it('adds no default network that no container taken in uses', async () => {
    await writeFile(join(dir, 'a.yaml'), container('a', '  domainname: corp\n'));
    await writeFile(join(dir, 'b.yaml'), container('b', '  networkMode: none\n'));
    const store = new DesiredStore({ dir, allowEmpty: false, engineFacts: async () => PODMAN });
    await store.reload();
    expect(keys(store)).toEqual(['Container/b']);
  });

  it('keeps back a use of such a field while its engine cannot be asked, and reads again at the next check (F391)', async () => {
    await writeFile(
      join(dir, 'a.yaml'),
      container('a', '  networkMode: none\n  domainname: corp\n'),
    );
    await writeFile(join(dir, 'b.yaml'), container('b', '  networkMode: none\n'));
    let answers: EngineFacts | undefined;
    const store = new DesiredStore({ dir, allowEmpty: false, engineFacts: async () => answers });
    await store.reload();
    expect(store.snapshot().problems.map((p) => formatProblem(p))).toEqual([
      expect.stringMatching(
        /a\.yaml:\d+:\d+: Container "a": domainname: berth's engine cannot be asked now whether it carries this; kept back until it answers \[E_ENGINE_UNASKED\]/,
      ),
    ]);
    expect(keys(store)).toEqual(['Container/b']);
    // The engine answers (Docker: carries it); the folder has not changed.
    answers = { apiVersion: '1.41' };
    const again = await store.reload({ ifChanged: true });
    expect(again.changed).toEqual(['Container/a']);
    expect(store.snapshot().problems).toEqual([]);
    expect(keys(store)).toEqual(['Container/a', 'Container/b']);
    // Checked now: the next check with an unchanged folder reads nothing.
    answers = undefined;
    expect((await store.reload({ ifChanged: true })).changed).toEqual([]);
    expect(keys(store)).toEqual(['Container/a', 'Container/b']);
  });
});
