import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';

/**
 * F857: `berth down -p <a typo>` from a folder many projects were applied below printed one
 * hint per project (170 lines on a shared machine), taken-down projects included. It names
 * the nearest few, the typo's own project first, and counts the rest.
 */
const work = mkdtempSync(join(tmpdir(), 'berth-down-hints-'));
const state = join(work, 'state');
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A last-applied record of `project` from `work/<project>`, with `objects` objects. */
function recorded(project: string, objects: number): void {
  mkdirSync(join(state, 'berth', project), { recursive: true });
  const lastApplied = {
    project,
    time: 1_700_000_000_000,
    sources: [join(work, project)],
    objects: Array.from({ length: objects }, (_, i) => ({ kind: 'Volume', name: `v${i}` })),
  };
  writeFileSync(
    join(state, 'berth', project, 'last-applied.json'),
    JSON.stringify({ version: 1, lastApplied }),
  );
}

describe('down of a project with nothing applied', () => {
  it('names the five nearest projects applied below, counts the rest, skips taken-down ones', async () => {
    for (const name of ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'shop'])
      recorded(name, 1);
    recorded('shops', 0); // taken down: its last set is empty
    const down = await berth(['down', '-p', 'shpo'], {
      env: { XDG_STATE_HOME: state },
      cwd: work,
    });
    expect(down.code, down.stderr).toBe(0);
    const hints = down.stdout.split('\n').filter((l) => l.startsWith('hint: '));
    expect(hints).toHaveLength(6);
    expect(hints[0]).toBe(
      'hint: project shop was applied from ./shop; berth down -p shop deletes it',
    );
    expect(down.stdout).not.toContain('project shops ');
    expect(hints[5]).toMatch(/^hint: and 3 more projects applied from folders below this one/);
  });
});
