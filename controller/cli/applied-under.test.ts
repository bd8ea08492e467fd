import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordApply, type ApplyRecordInput } from '../records/index.js';
import { projectsAppliedUnder } from './applied-under.js';
import type { DesiredObject } from '../../specs/model.js';

let stateDir: string;
beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'berth-applied-under-'));
});
afterEach(async () => {
  await rm(stateDir, { recursive: true, force: true });
});

function applied(sources: string[]): ApplyRecordInput {
  return {
    time: 1000,
    sources,
    outcome: 'converged',
    counts: { created: 1, changed: 0, deleted: 0, unchanged: 0, failed: 0 },
    durationMs: 10,
    // A set with something in it: a taken-down project's empty set is not named (F857).
    objects: [{ kind: 'Volume', name: 'data' } as unknown as DesiredObject],
  };
}

describe('projects applied under a folder (the hint of berth down)', () => {
  it('names a project applied from a folder below this one', async () => {
    await recordApply(stateDir, 'shop', applied(['/srv/app/berth']));
    expect(await projectsAppliedUnder(stateDir, '/srv/app', 'app')).toEqual([
      { project: 'shop', source: '/srv/app/berth' },
    ]);
  });

  it('never names a project taken down: its last set is empty (F857)', async () => {
    await recordApply(stateDir, 'gone', { ...applied(['/srv/app/gone']), objects: [] });
    expect(await projectsAppliedUnder(stateDir, '/srv/app', 'app')).toEqual([]);
  });

  it('never names a git or URL source, nor a sibling folder (F121)', async () => {
    await recordApply(stateDir, 'gitops', applied(['file:///tmp/repo//deploy']));
    await recordApply(stateDir, 'remote', applied(['https://example.test/repo.git//deploy']));
    await recordApply(stateDir, 'sibling', applied(['/srv/app-two/berth']));
    await recordApply(stateDir, 'dots', applied(['/srv/..app/berth']));
    expect(await projectsAppliedUnder(stateDir, '/srv/app', 'app')).toEqual([]);
    // `down` asks about the folder it runs in: a URL read as a relative path lies below it.
    expect(await projectsAppliedUnder(stateDir, process.cwd(), 'x')).toEqual([]);
  });
});
