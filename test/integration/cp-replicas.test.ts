import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packPath } from '../../controller/cli/cp-local.js';
import { berth } from '../support/cli.js';
import { cleanupProject, docker, uniqueProject } from '../support/docker.js';
import { sleeperYaml } from '../support/manifests.js';
import { berth as berthWithStdin } from './streams-support.js';

/**
 * F550: `berth cp LOCAL NAME:PATH` into a container with `replicas: 2` wrote into replica 1
 * only. `docker compose cp` without `--index` copies into every container of the service
 * (pkg/compose/cp.go) and out of the first; `NAME-<i>` names one replica.
 */

const project = uniqueProject('cprep');
const work = mkdtempSync(join(tmpdir(), 'berth-cprep-'));
const env = { XDG_STATE_HOME: join(work, 'state'), BERTH_LOG_LEVEL: 'silent' };
const cp = (...args: string[]) => berth(['cp', '-p', project, ...args], { cwd: work, env });
const inReplica = (i: number, path: string) =>
  docker('exec', `${project}-w-${i}`, 'cat', path).catch(() => '(missing)');

beforeAll(async () => {
  writeFileSync(join(work, 'w.yaml'), sleeperYaml('w', '  replicas: 2\n'));
  const applied = await berth(['apply', '-f', work, '-p', project], { cwd: work, env });
  expect(applied.code, applied.stdout + applied.stderr).toBe(0);
});

afterAll(async () => {
  await cleanupProject(project);
  rmSync(work, { recursive: true, force: true });
});

describe('berth cp and replicas', () => {
  it('copies a local file into every replica of NAME', async () => {
    writeFileSync(join(work, 'f.txt'), 'hello');
    expect(await cp('f.txt', 'w:/tmp/f.txt')).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await inReplica(1, '/tmp/f.txt')).toBe('hello');
    expect(await inReplica(2, '/tmp/f.txt')).toBe('hello');
  });

  it('copies a tar stream on stdin into every replica', async () => {
    writeFileSync(join(work, 'g.txt'), 'from-stdin');
    const tar = Readable.from(packPath(join(work, 'g.txt'), 'g.txt'));
    const result = await berthWithStdin(project, ['cp', '-', 'w:/tmp'], tar);
    expect(result).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await inReplica(1, '/tmp/g.txt')).toBe('from-stdin');
    expect(await inReplica(2, '/tmp/g.txt')).toBe('from-stdin');
  });

  it('NAME-<i> copies into that replica only; out of NAME takes the first', async () => {
    writeFileSync(join(work, 'h.txt'), 'two-only');
    expect((await cp('h.txt', 'w-2:/tmp/h.txt')).code).toBe(0);
    expect(await inReplica(1, '/tmp/h.txt')).toBe('(missing)');
    expect(await inReplica(2, '/tmp/h.txt')).toBe('two-only');
    await docker('exec', `${project}-w-1`, 'sh', '-c', 'echo one > /tmp/which');
    await docker('exec', `${project}-w-2`, 'sh', '-c', 'echo two > /tmp/which');
    expect((await cp('w:/tmp/which', join(work, 'which'))).code).toBe(0);
    expect(readFileSync(join(work, 'which'), 'utf8')).toBe('one\n');
  });
});
