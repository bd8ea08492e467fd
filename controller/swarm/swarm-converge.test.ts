import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliContext } from '../cli/context.js';
import { readHistory } from '../records/index.js';
import { recordSwarm, type SwarmConverged } from './swarm-converge.js';

const work = mkdtempSync(join(tmpdir(), 'berth-swarm-record-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A convergence that created one service. */
const run: SwarmConverged = {
  plan: { project: 'shop', steps: [], unchanged: [], services: new Map() },
  outcomes: [
    {
      step: {
        op: 'create-service',
        key: 'Container/web',
        kind: 'Container',
        name: 'web',
        cause: 'declared',
      },
      ok: true,
    } as unknown as SwarmConverged['outcomes'][number],
  ],
  statuses: [],
  ok: true,
};

const ctxAt = (stateDir: string) =>
  ({ cwd: work, stateDir, now: () => 2_000 }) as unknown as CliContext;

describe('recordSwarm', () => {
  it('writes the convergence to history', async () => {
    const stateDir = join(work, 'state');
    expect(await recordSwarm(ctxAt(stateDir), 'shop', ['app'], 'tcp://m:2375', 1_000, run)).toBe(
      undefined,
    );
    const history = await readHistory(stateDir, 'shop');
    expect(history.ok && history.value.map((h) => h.outcome)).toEqual(['converged']);
  });

  it('resolves with E_RECORD naming the state folder when history cannot be written (F251)', async () => {
    // A state folder under a file: no one, root included, can write there.
    const file = join(work, 'not-a-folder');
    writeFileSync(file, '');
    const stateDir = join(file, 'berth');
    const error = await recordSwarm(ctxAt(stateDir), 'shop', ['app'], 'tcp://m:2375', 1_000, run);
    expect(error).toMatchObject({ code: 'E_RECORD' });
    expect(error?.message).toMatch(/^could not record the apply: /);
    expect(error?.message).toContain(join(stateDir, 'shop'));
    expect(error?.context.hint).toContain(`free space in ${join(stateDir, 'shop')}`);
  });
});
