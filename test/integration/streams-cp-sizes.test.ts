import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupProject, docker, uniqueProject } from '../support/docker.js';
import { IDLE, runLabelled } from './streams-support.js';

/**
 * Issue 19 item 4: `berth cp NAME:FILE LOCAL` wrote the file and then never exited for
 * some sizes (1,500,000 bytes, 5 of 5): the archive's response was left open after the
 * tar's end. Run as its own process (the bundle), since only a process shows the hang.
 */

const project = uniqueProject('cpsz');
const work = mkdtempSync(join(tmpdir(), 'berth-cpsz-'));
const state = mkdtempSync(join(tmpdir(), 'berth-state-'));
const SIZES = [1_000_000, 1_048_577, 1_500_000, 2_000_000, 2_621_440, 3_000_001, 4_000_000];

beforeAll(async () => {
  await runLabelled(project, 'files', IDLE);
  await runLabelled(project, 'talker', `yes 0123456789abcdef | head -c 1500000; ${IDLE}`);
  const script = SIZES.map((n) => `head -c ${n} /dev/urandom > /f${n}`).join('; ');
  await docker('exec', `${project}-files`, 'sh', '-c', script);
});

afterAll(async () => {
  await cleanupProject(project);
  rmSync(work, { recursive: true, force: true });
  rmSync(state, { recursive: true, force: true });
});

/** Runs the built CLI; a run still going after 20 s is killed and reported as a hang. */
function berthProcess(args: string[]): Promise<{ code: number | null; stdout: Buffer }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['bin/berth.mjs', args[0] ?? '', '-p', project, ...args.slice(1)],
      {
        timeout: 20_000,
        encoding: 'buffer',
        maxBuffer: 64 * 1024 * 1024,
        env: { ...process.env, XDG_STATE_HOME: state, BERTH_LOG_LEVEL: 'warn' },
      },
      (error, stdout) => {
        const code = error ? ((error as { killed?: boolean }).killed ? null : 1) : 0;
        resolve({ code, stdout });
      },
    );
  });
}

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const shaInContainer = async (path: string) =>
  (await docker('exec', `${project}-files`, 'sha256sum', path)).split(/\s+/)[0];

describe('berth cp exits after the copy, whatever the size', () => {
  it.each(SIZES)('%i bytes: out to a file, out to stdout, and in', async (size) => {
    const expected = await shaInContainer(`/f${size}`);
    const local = join(work, `f${size}`);
    const out = await berthProcess(['cp', `files:/f${size}`, local]);
    expect(out.code, 'cp out exits 0 (null: it hung)').toBe(0);
    expect(sha(readFileSync(local))).toBe(expected);

    const piped = await berthProcess(['cp', `files:/f${size}`, '-']);
    expect(piped.code, 'cp out to stdout exits 0').toBe(0);
    expect(piped.stdout.length).toBeGreaterThan(size);

    writeFileSync(local, readFileSync(local));
    const back = await berthProcess(['cp', local, `files:/back${size}`]);
    expect(back.code, 'cp in exits 0').toBe(0);
    expect(await shaInContainer(`/back${size}`)).toBe(expected);
  });
});

describe('every other stream berth reads ends with its command', () => {
  it('exec with 1.5 MB of output exits with the command', async () => {
    const run = await berthProcess([
      'exec',
      'files',
      '--',
      'sh',
      '-c',
      'head -c 1500000 /f4000000',
    ]);
    expect(run.code, 'exec exits 0 (null: it hung)').toBe(0);
    expect(run.stdout.length).toBe(1_500_000);
  });

  it('logs of 1.5 MB exit once the log is read', async () => {
    const run = await berthProcess(['logs', 'talker']);
    expect(run.code, 'logs exits 0 (null: it hung)').toBe(0);
    const lines = run.stdout.toString('utf8').split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThanOrEqual(Math.floor(1_500_000 / 17));
    expect(new Set(lines.slice(0, -1))).toEqual(new Set(['talker | 0123456789abcdef']));
  });
});
