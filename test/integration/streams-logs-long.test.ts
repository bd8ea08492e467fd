import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupProject, docker, uniqueProject } from '../support/docker.js';
import { IDLE, berth, followLogs, runLabelled } from './streams-support.js';

/**
 * Issue 19 item 6: the engine splits a log line longer than 16 KiB into pieces, each with
 * its own timestamp; berth must give the line back whole, the engine's stamps out of the
 * text, with and without --timestamps, and when following.
 */

const project = uniqueProject('slong');
const json = `{"data":"${'abcdefghij'.repeat(3999)}"}`;
const STAMP = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z/;

beforeAll(async () => {
  const print = `v=$(yes abcdefghij | head -n 3999 | tr -d '\\n'); echo "{\\"data\\":\\"$v\\"}"`;
  await runLabelled(project, 'long', `${print}; echo after; ${IDLE}`);
  const deadline = Date.now() + 10_000;
  while (!(await docker('logs', `${project}-long`)).includes('after')) {
    if (Date.now() > deadline) throw new Error('the container never logged');
    await new Promise((r) => setTimeout(r, 100));
  }
});

afterAll(() => cleanupProject(project));

describe('a 40,000-character log line', () => {
  it('comes out whole', async () => {
    const result = await berth(project, ['logs', 'long']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`long | ${json}\nlong | after\n`);
  });

  it('comes out whole with --timestamps, one stamp per line', async () => {
    const result = await berth(project, ['logs', 'long', '--timestamps']);
    expect(result.code).toBe(0);
    const [first, second, rest] = result.stdout.split('\n');
    expect(first).toMatch(
      new RegExp(`^long \\| ${STAMP.source} \\{"data":"(abcdefghij){3999}"\\}$`),
    );
    expect(second).toMatch(new RegExp(`^long \\| ${STAMP.source} after$`));
    expect(rest).toBe('');
  });

  it('comes out whole when following', async () => {
    expect(await followLogs(project, 'long', 'after', 10_000)).toBe(
      `long | ${json}\nlong | after\n`,
    );
  });
});
