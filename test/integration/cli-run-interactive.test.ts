import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { cleanupProject, docker, TEST_IMAGE, uniqueProject } from '../support/docker.js';

/**
 * `berth run -i` / `-it` (DESIGN.md "New verbs", as `docker compose run -it`): stdin piped
 * into a one-off container, and a real terminal — a pseudo-terminal from util-linux
 * `script` around the shipped bundle — for `-t`.
 */

const project = uniqueProject('runit');
const dir = mkdtempSync(join(tmpdir(), 'berth-runit-'));
const env = { XDG_STATE_HOME: join(dir, 'state') };

beforeAll(async () => {
  writeFileSync(
    join(dir, 'web.yaml'),
    `apiVersion: berth/v1\nkind: Container\nmetadata: {name: web}\nspec:\n  image: ${TEST_IMAGE}\n  args: [sleep, "3600"]\n`,
  );
  const applied = await berth(['apply', '-f', dir, '-p', project, '--log-level', 'warn'], { env });
  expect(applied.code, applied.stderr).toBe(0);
});

afterAll(async () => {
  await cleanupProject(project);
  rmSync(dir, { recursive: true, force: true });
});

/** What busybox's shell sends after its prompt (a cursor position query). */
const CURSOR_QUERY = '\u001b[6n';

const oneOffs = () =>
  docker(
    'ps',
    '-aq',
    '--filter',
    `label=berth.project=${project}`,
    '--filter',
    'label=berth.oneoff=true',
  );

/**
 * Runs the bundle under `script` (a pseudo-terminal on its stdin and stdout), answers the
 * shell's first prompt with `input`, and resolves with everything the terminal showed and
 * berth's exit code.
 */
function inTerminal(
  args: string[],
  input: string,
): Promise<{ code: number | null; screen: string }> {
  const command = ['node', 'bin/berth.mjs', ...args].map((a) => `'${a}'`).join(' ');
  const child = spawn('script', ['-qec', command, '/dev/null'], {
    env: { ...process.env, ...env, NO_COLOR: '1' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let screen = '';
  let answered = false;
  const onOutput = (chunk: Buffer) => {
    screen += chunk.toString('utf8');
    if (!answered && /# $/.test(screen.replaceAll(CURSOR_QUERY, ''))) {
      answered = true;
      child.stdin.write(input);
    }
  };
  child.stdout.on('data', onOutput);
  child.stderr.on('data', onOutput);
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      child.stdin.destroy();
      resolve({ code, screen });
    }),
  );
}

describe('berth run -i and -it', () => {
  it('-i pipes stdin into the one-off (EOF closes it) and exits with its code; --rm removes it', async () => {
    const result = await berth(
      ['run', '-p', project, '--rm', '-i', 'web', '--', 'sh', '-c', 'cat; echo end >&2; exit 3'],
      { env, stdin: 'hello\nworld\n' },
    );
    expect(result.stdout).toBe('hello\nworld\n');
    expect(result.stderr).toBe('end\n');
    expect(result.code).toBe(3);
    expect(await oneOffs()).toBe('');
  });

  it('-it gives the one-off a terminal: a shell reads typed lines and its exit code is berth’s', async () => {
    const { code, screen } = await inTerminal(
      ['run', '-p', project, '--rm', '-it', 'web', '--', 'sh'],
      'echo $((6*7)); tty; exit 5\n',
    );
    expect(screen).toMatch(/\n42\r?\r\n/);
    expect(screen).toMatch(/\/dev\/pts\/\d+/);
    expect(code).toBe(5);
    expect(await oneOffs()).toBe('');
  });

  it('-t alone gives the one-off a terminal without stdin', async () => {
    const { code, screen } = await inTerminal(
      ['run', '-p', project, '--rm', '-t', '--entrypoint', 'sh', 'web', '--', '-c', 'tty; exit 4'],
      '',
    );
    expect(screen).toMatch(/\/dev\/pts\/\d+/);
    expect(code).toBe(4);
  });
});
