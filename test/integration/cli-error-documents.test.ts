import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { defaultStateDir } from '../../controller/cli/context.js';
import { projectRecordDir } from '../../controller/records/records.js';
import { berth } from '../support/cli.js';
import { cleanupProject, projectContainerNames, uniqueProject } from '../support/docker.js';
import { sleeperYaml } from '../support/manifests.js';

// F532: every verb whose -o offers json prints `{ok: false, exitCode, error, problems}` on
// stdout when it refuses, as apply did since F465 (e), with the exit code it had before;
// through the CLI, the engine real (describe and get ask it).
const project = uniqueProject('errdoc');
const root = mkdtempSync(join(tmpdir(), 'berth-errdoc-'));
const stateDir = mkdtempSync(join(tmpdir(), 'berth-errdoc-state-'));
const bad = join(root, 'bad.yaml');
const env = { XDG_STATE_HOME: stateDir };
const run = (args: string[]) => berth([...args, '-p', project], { cwd: root, env });

/** The document of a refused verb, as JSON and as YAML (the same), and its exit code. */
async function refusal(args: string[]): Promise<{ code: number; doc: Record<string, unknown> }> {
  const json = await run([...args, '-o', 'json']);
  expect(json.stdout, json.stderr).not.toBe('');
  const doc = JSON.parse(json.stdout) as Record<string, unknown>;
  // The text still goes to stderr, as without -o.
  expect(json.stderr).toContain('error: ');
  const yaml = await run([...args, '-o', 'yaml']);
  expect(yaml.code).toBe(json.code);
  expect(parse(yaml.stdout)).toEqual(doc);
  expect(doc.exitCode).toBe(json.code);
  return { code: json.code, doc };
}

beforeAll(() => {
  writeFileSync(bad, sleeperYaml('Bad_Name'));
});

afterAll(async () => {
  await cleanupProject(project);
  rmSync(root, { recursive: true, force: true });
  rmSync(stateDir, { recursive: true, force: true });
});

describe('-o json|yaml of a refused verb (F532)', () => {
  it.each([['plan'], ['get'], ['status']])(
    '%s -f of invalid input prints the problems, exit 1',
    async (verb) => {
      const { code, doc } = await refusal([verb, '-f', bad]);
      expect(code).toBe(1);
      expect(doc).toMatchObject({
        project,
        ok: false,
        exitCode: 1,
        error: { code: 'E_MANIFEST' },
        problems: [{ file: bad, line: 3, code: 'E_NAME' }],
      });
    },
  );

  it.each([['describe'], ['get']])('%s of an unknown object names it, exit 1', async (verb) => {
    const { code, doc } = await refusal([verb, 'container/nope']);
    expect(code).toBe(1);
    expect(doc).toMatchObject({
      project,
      ok: false,
      error: { code: 'E_UNKNOWN_OBJECT', object: 'Container/nope' },
      problems: [],
    });
  });

  it('history of a corrupt record names the file, exit as before', async () => {
    const dir = projectRecordDir(defaultStateDir(env), project);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'history.json'), '{"version": 0}');
    try {
      const { code, doc } = await refusal(['history']);
      expect(code).toBe(2);
      expect(doc).toMatchObject({ project, ok: false, error: { code: 'E_RECORD' } });
    } finally {
      rmSync(join(dir, 'history.json'));
    }
  });

  it('apply still prints it, and nothing reached the engine', async () => {
    const { code, doc } = await refusal(['apply', '-f', bad]);
    expect(code).toBe(1);
    expect(doc).toMatchObject({ ok: false, error: { code: 'E_MANIFEST' } });
    expect(await projectContainerNames(project)).toEqual([]);
  });

  it('a project name that is refused leaves the project out of the document', async () => {
    const refused = await berth(['status', '-p', 'Bad.Name', '-o', 'json'], { cwd: root });
    expect(refused.code).toBe(1);
    const doc = JSON.parse(refused.stdout) as Record<string, unknown>;
    expect(doc).toMatchObject({ ok: false, exitCode: 1, error: { code: 'E_USAGE' } });
    expect(doc).not.toHaveProperty('project');
  });

  it('the text formats print nothing on stdout, as before', async () => {
    const text = await run(['plan', '-f', bad]);
    expect(text.code).toBe(1);
    expect(text.stdout).toBe('');
  });
});
