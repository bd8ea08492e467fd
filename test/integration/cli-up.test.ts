import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupProject, docker, TEST_IMAGE, uniqueProject } from '../support/docker.js';
import { BERTH_BIN, eventually } from './watch-support.js';

/** `berth up` converges, streams logs in the foreground, and Ctrl-C detaches leaving all as declared. */

const work = mkdtempSync(join(tmpdir(), 'berth-up-'));
const project = uniqueProject('up');
afterAll(async () => {
  await cleanupProject(project);
  rmSync(work, { recursive: true, force: true });
});

describe('berth up', () => {
  it('streams the logs after converging; SIGINT detaches and the container keeps running', async () => {
    writeFileSync(
      join(work, 'app.yaml'),
      `apiVersion: berth/v1
kind: Container
metadata: {name: talker}
spec:
  image: ${TEST_IMAGE}
  command: [sh, -c]
  args: ["trap 'exit 0' TERM; while true; do echo tick; sleep 0.2; done"]
`,
    );
    // `up` without -f reads the current folder: run it from the manifest folder.
    const up = spawn(process.execPath, [BERTH_BIN, 'up', '-p', project, '--log-level', 'warn'], {
      cwd: work,
      env: { ...process.env, XDG_STATE_HOME: join(work, 'state') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    up.stdout.on('data', (b: Buffer) => (out += b.toString()));
    up.stderr.on('data', (b: Buffer) => (err += b.toString()));
    const exited = new Promise<number | null>((r) => up.on('exit', (code) => r(code)));
    expect(await eventually(async () => /talker +\| tick/.test(out), 30_000), out + err).toBe(true);
    up.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(out + err).toMatch(/detached/);
    expect(await docker('inspect', '-f', '{{.State.Status}}', `${project}-talker`)).toBe('running');
  });
});
