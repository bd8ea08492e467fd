import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTar } from '../../controller/engine/docker/docker-streams-tar-read.js';
import { packPath } from '../../controller/cli/cp-local.js';
import { cleanupProject, docker, uniqueProject } from '../support/docker.js';
import { IDLE, berth, runLabelled } from './streams-support.js';

const project = uniqueProject('scp');
const work = mkdtempSync(join(tmpdir(), 'berth-cp-'));
const tree = join(work, 'tree');

const modeOf = (path: string) => (statSync(path).mode & 0o7777).toString(8);

beforeAll(async () => {
  await runLabelled(project, 'web', IDLE);
  mkdirSync(join(tree, 'sub'), { recursive: true });
  writeFileSync(join(tree, 'run.sh'), '#!/bin/sh\necho run\n');
  writeFileSync(join(tree, 'secret'), 'hush');
  writeFileSync(join(tree, 'sub', 'data.txt'), 'x'.repeat(70_000));
  chmodSync(join(tree, 'run.sh'), 0o755);
  chmodSync(join(tree, 'secret'), 0o600);
  chmodSync(join(tree, 'sub', 'data.txt'), 0o640);
  chmodSync(join(tree, 'sub'), 0o750);
});

afterAll(async () => {
  await cleanupProject(project);
  rmSync(work, { recursive: true, force: true });
});

async function modesInContainer(paths: string[]): Promise<string> {
  return docker('exec', `${project}-web`, 'stat', '-c', '%a %s %n', ...paths);
}

describe('berth cp', () => {
  it('copies a folder into an existing container folder, keeping modes and sizes', async () => {
    const result = await berth(project, ['cp', tree, 'web:/tmp']);
    expect(result).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(
      await modesInContainer([
        '/tmp/tree/run.sh',
        '/tmp/tree/secret',
        '/tmp/tree/sub',
        '/tmp/tree/sub/data.txt',
      ]),
    ).toMatch(
      /^755 19 \/tmp\/tree\/run.sh\n600 4 \/tmp\/tree\/secret\n750 \d+ \/tmp\/tree\/sub\n640 70000 \/tmp\/tree\/sub\/data.txt$/,
    );
  });

  it('copies a file to a new name in the container', async () => {
    const result = await berth(project, ['cp', join(tree, 'run.sh'), 'web:/tmp/renamed.sh']);
    expect(result.code).toBe(0);
    expect(await docker('exec', `${project}-web`, '/tmp/renamed.sh')).toBe('run');
  });

  it('copies a folder out of the container to a new local name, modes kept', async () => {
    const out = join(work, 'copy');
    const result = await berth(project, ['cp', 'web:/tmp/tree', out]);
    expect(result.code).toBe(0);
    expect(readFileSync(join(out, 'secret'), 'utf8')).toBe('hush');
    expect(readFileSync(join(out, 'sub', 'data.txt'), 'utf8')).toHaveLength(70_000);
    expect([
      modeOf(join(out, 'run.sh')),
      modeOf(join(out, 'secret')),
      modeOf(join(out, 'sub')),
    ]).toEqual(['755', '600', '750']);
  });

  it('writes a tar stream to stdout with -', async () => {
    const result = await berth(project, ['cp', 'web:/tmp/tree/sub', '-']);
    expect(result.code).toBe(0);
    const names: string[] = [];
    await readTar(Readable.from([Buffer.from(result.stdout, 'latin1')]), async (entry) => {
      // A folder is named `sub/` by Docker and `sub` by Podman; its type says what it is.
      names.push(`${entry.type} ${entry.name.replace(/\/$/, '')} ${entry.mode.toString(8)}`);
    });
    expect(names).toEqual(['directory sub 750', 'file sub/data.txt 640']);
  });

  it('reads a tar stream from stdin with -', async () => {
    const stdin = Readable.from(packPath(join(tree, 'secret'), 'from-stdin'));
    const result = await berth(project, ['cp', '-', 'web:/tmp'], stdin);
    expect(result.code).toBe(0);
    expect(await modesInContainer(['/tmp/from-stdin'])).toBe('600 4 /tmp/from-stdin');
  });

  it('exits 1 naming the problem for a missing path', async () => {
    const result = await berth(project, ['cp', 'web:/nowhere/file', join(work, 'x')]);
    expect(result.code).toBe(1);
    // Named as the user wrote it, as docker cp does; never by the engine's container id.
    expect(result.stderr).toContain('web:/nowhere/file: no such file or folder in the container');
    expect(result.stderr).not.toMatch(/[0-9a-f]{64}/);
  });

  it('refuses a file to a missing folder written with a trailing /, as docker cp does (F268)', async () => {
    const file = join(tree, 'secret');
    const into = await berth(project, ['cp', file, 'web:/tmp/no-such-dir/']);
    expect(into.code).toBe(1);
    expect(into.stderr).toContain('/tmp/no-such-dir/: no such directory');
    await expect(docker('exec', `${project}-web`, 'ls', '/tmp/no-such-dir')).rejects.toThrow();
    const local = join(work, 'out-nodir');
    const out = await berth(project, ['cp', 'web:/etc/hostname', `${local}/`]);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain(`${local}/: no such directory`);
    expect(() => statSync(local)).toThrow();
    // A folder to a new name with a trailing / is made, as docker cp makes it.
    const made = await berth(project, ['cp', join(tree, 'sub'), 'web:/tmp/new-dir/']);
    expect(made.code, made.stderr).toBe(0);
    expect(await modesInContainer(['/tmp/new-dir/data.txt'])).toMatch(/^640 70000 /);
  });
});
