import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { berth, type CliRun } from '../support/cli.js';
import { cleanupProject, TEST_IMAGE, uniqueProject } from '../support/docker.js';

// F632: diff, rollback, delete and down take `-o json|yaml` as plan, apply and status do: one
// document on stdout holding what the text tells (diff's fields old → new with a secret's
// value only "changed"; what delete and down removed, kept and could not remove; rollback's as
// apply's), the exit codes unchanged, and the {ok: false} document of a refusal (F532).
// Through the CLI, on the real engine.
const project = uniqueProject('verbdoc');
const dir = mkdtempSync(join(tmpdir(), 'berth-verbdoc-'));
const stateDir = mkdtempSync(join(tmpdir(), 'berth-verbdoc-state-'));
const run = (args: string[], token = 'tok-CANARY-one') =>
  berth([...args, '-p', project], {
    cwd: dir,
    env: { XDG_STATE_HOME: stateDir, VERBDOC_TOKEN: token },
  });

function write(mode: string): void {
  writeFileSync(
    join(dir, 'set.yaml'),
    `apiVersion: berth/v1
kind: Secret
metadata: {name: token}
spec: {env: VERBDOC_TOKEN}
---
apiVersion: berth/v1
kind: Volume
metadata: {name: data}
spec: {}
---
apiVersion: berth/v1
kind: Container
metadata: {name: web}
spec:
  image: ${TEST_IMAGE}
  init: true
  command: [sleep, "3600"]
  env: {MODE: ${mode}}
  mounts: [{secret: token, target: /run/secrets/token}]
`,
  );
}

/** A document as the tests read it: its fields are checked with toMatchObject. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a parsed document, shape asserted below
type Doc = Record<string, any>;

/** The JSON document of a run (no secret value in it). */
async function documentOf(args: string[], token?: string): Promise<{ run: CliRun; doc: Doc }> {
  const json = await run([...args, '-o', 'json'], token);
  expect(json.stdout, json.stderr).not.toMatch(/CANARY/);
  return { run: json, doc: JSON.parse(json.stdout) as Doc };
}

afterAll(async () => {
  await cleanupProject(project);
  rmSync(dir, { recursive: true, force: true });
  rmSync(stateDir, { recursive: true, force: true });
});

describe('-o json|yaml of diff, rollback, delete and down (F632)', () => {
  it('diff: the plan and each changed field, a secret value only "changed", exit 2', async () => {
    write('a');
    const applied = await run(['apply', '-f', '.']);
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    write('b');
    const { run: json, doc } = await documentOf(['diff', '-f', '.'], 'tok-CANARY-two');
    expect(json.code, json.stderr).toBe(2);
    expect(doc).toMatchObject({ project, changes: true, summary: { change: 1 } });
    // In the set's order, as the text lists them.
    expect(doc.changedFields).toEqual([
      { object: 'Secret/token', fields: [{ path: 'value', changed: true }] },
      { object: 'Container/web', fields: [{ path: 'spec.env.MODE', before: 'a', after: 'b' }] },
    ]);
    const yaml = await run(['diff', '-f', '.', '-o', 'yaml'], 'tok-CANARY-two');
    expect(yaml.code).toBe(2);
    expect(parse(yaml.stdout)).toEqual(doc);
    // The text says the same, as before.
    const text = await run(['diff', '-f', '.'], 'tok-CANARY-two');
    expect(text.stdout).toContain(
      'Secret/token:\n  value (changed)\nContainer/web:\n  spec.env.MODE: "a" → "b"\n',
    );
  });

  it("rollback: apply's document, exit 0", async () => {
    const applied = await run(['apply', '-f', '.'], 'tok-CANARY-two');
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    const { run: json, doc } = await documentOf(['rollback']);
    expect(json.code, json.stderr).toBe(0);
    expect(doc).toMatchObject({ project, ok: true });
    expect(doc.outcomes).toContainEqual(
      expect.objectContaining({ key: 'Container/web', outcome: 'converged' }),
    );
  });

  it('delete -f: what was deleted and the volume kept with its data, exit 0', async () => {
    const { run: json, doc } = await documentOf(['delete', '-f', '.']);
    expect(json.code, json.stderr).toBe(0);
    expect(doc).toMatchObject({ project, ok: true, failed: [], purged: [] });
    expect(doc.deleted).toEqual(expect.arrayContaining(['Container/web', 'Network/default']));
    expect(doc.kept).toEqual([
      {
        object: 'Volume/data',
        reason: `kept with its data (retain: true); berth delete volume/data -p ${project} --purge removes it`,
      },
    ]);
  });

  it('down --volumes -o yaml: the volume purged with its data, exit 0', async () => {
    const yaml = await run(['down', '--volumes', '-o', 'yaml']);
    expect(yaml.code, yaml.stderr).toBe(0);
    expect(parse(yaml.stdout)).toMatchObject({
      project,
      ok: true,
      deleted: ['Volume/data'],
      purged: [{ object: 'Volume/data', note: 'removed with its data' }],
      kept: [],
      oneOffs: [],
    });
  });

  it('a refusal is the {ok: false} document, exit as before', async () => {
    const { run: json, doc } = await documentOf(['delete', 'container/nope']);
    expect(json.code).toBe(1);
    expect(doc).toMatchObject({ ok: false, exitCode: 1, error: { code: 'E_UNKNOWN_OBJECT' } });
    const other = await berth(['rollback', '-p', `${project}-none`, '-o', 'json'], {
      cwd: dir,
      env: { XDG_STATE_HOME: stateDir },
    });
    expect(other.code).toBe(1);
    expect(JSON.parse(other.stdout)).toMatchObject({
      ok: false,
      error: { code: 'E_UNKNOWN_OBJECT' },
    });
  });
});
