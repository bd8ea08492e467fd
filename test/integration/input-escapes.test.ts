import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { TEST_IMAGE } from '../support/docker.js';

/**
 * F345: a manifest or Compose file is someone else's text (a repository, a PR, an app store
 * template). What validate and import quote from it — names, keys, values, file names — and the
 * comments import writes show its control characters as `\x1b`, never send them to the
 * terminal (as F277 does for engine text). Touches no engine.
 */

const work = mkdtempSync(join(tmpdir(), 'berth-input-escapes-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

// eslint-disable-next-line no-control-regex
const control = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
const ESC = '\x1b';
const BEL = '\x07';

describe('control characters in the input', () => {
  it('validate shows them escaped in the object, the field and the file name', async () => {
    const dir = join(work, 'validate');
    mkdirSync(dir);
    const file = `f${ESC}]0;FILETITLE${BEL}.yaml`;
    writeFileSync(
      join(dir, file),
      [
        'apiVersion: berth/v1',
        'kind: Container',
        `metadata: {name: "x\\e]0;NAMETITLE\\a"}`,
        'spec:',
        `  image: ${TEST_IMAGE}`,
        '  "k\\e[31m": 1',
        '',
      ].join('\n'),
    );
    const run = await berth(['validate', '-f', '.', '-p', 'escapes'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stdout + run.stderr).not.toMatch(control);
    expect(run.stdout).toContain(String.raw`f\x1b]0;FILETITLE\x07.yaml:3:`);
    expect(run.stdout).toContain(String.raw`Container "x\x1b]0;NAMETITLE\x07"`);
    expect(run.stdout).toContain(String.raw`spec.k\x1b[31m`);
  });

  it('import shows them escaped on stderr and in the comments it writes', async () => {
    const dir = join(work, 'import');
    mkdirSync(dir);
    writeFileSync(
      join(dir, 'compose.yaml'),
      [
        'services:',
        '  w:',
        `    image: ${TEST_IMAGE}`,
        '    "\\e[2Jk": 1',
        '    environment: ["A\\e[2J"]',
        '',
      ].join('\n'),
    );
    const run = await berth(['import', '-o', 'out'], { cwd: dir });
    expect(run.code, run.stderr).toBe(2);
    expect(run.stdout + run.stderr).not.toMatch(control);
    expect(run.stderr).toContain(String.raw`services.w.\x1b[2Jk: not supported`);
    const written = readFileSync(join(dir, 'out', 'w.yaml'), 'utf8');
    expect(written).not.toMatch(control);
    expect(written).toContain(String.raw`# services.w.environment: A\x1b[2J taken at apply`);
    const printed = await berth(['import'], { cwd: dir });
    expect(printed.stdout + printed.stderr).not.toMatch(control);
  });

  it('a refused Compose file is named escaped too', async () => {
    const dir = join(work, 'refused');
    mkdirSync(dir);
    writeFileSync(
      join(dir, 'compose.yaml'),
      ['services:', '  "w\\e[2J":', `    image: ${TEST_IMAGE}`, ''].join('\n'),
    );
    const run = await berth(['import'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).not.toMatch(control);
    expect(run.stderr).toContain(String.raw`services.w\x1b[2J: not a valid service name`);
  });
});
