import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupProject, docker, uniqueProject } from '../support/docker.js';
import { testEngine } from '../support/engine.js';
import { IDLE, berth, followLogs, runLabelled } from './streams-support.js';

/**
 * Issue 19 (logs of a TTY container): a TTY's log is one raw stream, `STAMP text\r\n` per
 * engine message, with no frames. A line longer than 16 KiB is stored as 16,384-byte
 * pieces, each with its own stamp and no newline between them, so `docker logs -t` shows
 * the second stamp inside the line. berth must give the line back whole, with one stamp
 * (only under --timestamps), and without the terminal's `\r` at the end of every line.
 */

const project = uniqueProject('advtty');
const json = `{"data":"${'abcdefghij'.repeat(3999)}"}`;
const STAMP = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z/;
// A multi-byte character cut by Docker's 16 KiB split: 16,383 ASCII bytes, then "é" (2
// bytes). json-file stores each half as U+FFFD (docker logs shows the same); the rest stays
// whole. Podman's k8s-file log keeps the bytes, so there the line is whole, "é" too.
const cutChar = testEngine() === 'podman' ? '\u00e9' : '\ufffd\ufffd';
const cut = `${'x'.repeat(16_383)}${cutChar}-tail`;

beforeAll(async () => {
  const print = `v=$(yes abcdefghij | head -n 3999 | tr -d '\\n'); echo "{\\"data\\":\\"$v\\"}"`;
  const x = `printf 'x%.0s' $(seq 1 16383); printf '\\303\\251-tail\\n'`;
  await runLabelled(project, 'tty', `echo first; ${print}; ${x}; echo after; ${IDLE}`, ['-t']);
  const deadline = Date.now() + 15_000;
  while (!(await docker('logs', `${project}-tty`)).includes('after')) {
    if (Date.now() > deadline) throw new Error('the container never logged');
    await new Promise((r) => setTimeout(r, 100));
  }
});

afterAll(() => cleanupProject(project));

const expected = `tty | first\ntty | ${json}\ntty | ${cut}\ntty | after\n`;

describe('logs of a TTY container', () => {
  it('gives long lines back whole, without inner stamps or carriage returns', async () => {
    const result = await berth(project, ['logs', 'tty']);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toMatch(new RegExp(`.${STAMP.source}`));
    expect(result.stdout).toBe(expected);
  });

  it('shows one stamp per line with --timestamps', async () => {
    const result = await berth(project, ['logs', 'tty', '--timestamps']);
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatch(new RegExp(`^tty \\| ${STAMP.source} first$`));
    expect(lines[1]).toMatch(
      new RegExp(`^tty \\| ${STAMP.source} \\{"data":"(abcdefghij){3999}"\\}$`),
    );
    expect(lines[2]).toMatch(new RegExp(`^tty \\| ${STAMP.source} x{16383}${cutChar}-tail$`));
    expect(lines[3]).toMatch(new RegExp(`^tty \\| ${STAMP.source} after$`));
    expect(lines[4]).toBe('');
  });

  it('gives the same lines when following', async () => {
    expect(await followLogs(project, 'tty', 'after', 15_000)).toBe(expected);
  });
});
