import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { TEST_IMAGE, cleanupProject, docker, uniqueProject } from '../support/docker.js';

/**
 * Sizes, ulimits and PIDs limits written with variables (`mem_limit: ${MEM:-64m}`,
 * `nofile: ${NOFILE:-1024}`, `pids_limit: ${PIDS:-64}`) and a `.env` value in Docker's
 * units (`SWAP=128m`, `MEM=64M`): docker-compose runs the file; berth import wrote `.nan` for the PIDs
 * limit and an output that did not validate (`"64m" is not a quantity`, `nofile must be a
 * mapping`). The same folder runs under docker-compose and under berth (import, apply); the
 * engine gets the same limits from both. docker-compose 1.29 does not cast an interpolated
 * `pids_limit` to a number (Compose v2 does: compose-go loader/interpolate.go `pids_limit:
 * toInt64`), so its copy of the file has the PIDs limit written out.
 */
const execFileAsync = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'berth-sizevars-'));
const viaCompose = uniqueProject('szc');
const viaBerth = uniqueProject('szb');
const cleanEnv = {
  MEM: undefined,
  SWAP: undefined,
  MEMR: undefined,
  SHM: undefined,
  PIDS: undefined,
  NOFILE: undefined,
  TMPSZ: undefined,
};

afterAll(async () => {
  await compose('down', '-t', '0').catch(() => undefined);
  await cleanupProject(viaBerth);
  rmSync(dir, { recursive: true, force: true });
});

async function compose(...args: string[]): Promise<string> {
  const env = { ...process.env, ...cleanEnv };
  const run = await execFileAsync('docker-compose', ['-p', viaCompose, '-f', 'v1.yaml', ...args], {
    cwd: dir,
    env,
  });
  return run.stdout;
}

const LIMITS =
  '{{.HostConfig.Memory}} {{.HostConfig.MemorySwap}} {{.HostConfig.MemoryReservation}} ' +
  '{{.HostConfig.ShmSize}} {{.HostConfig.PidsLimit}} {{range .HostConfig.Ulimits}}{{.Name}}={{.Soft}}:{{.Hard}}{{end}}';

describe('import of sizes and limits written with variables', () => {
  it('validates and gives the engine the limits docker-compose gives it', async () => {
    // F351: Docker reads upper-case units as powers of 1024 too (64M = 64 MiB, not 64·10⁶).
    writeFileSync(join(dir, '.env'), 'SWAP=128m\nMEM=64M\nSHM=16M\n');
    const file = [
      'services:',
      '  s:',
      `    image: ${TEST_IMAGE}`,
      '    command: sleep 300',
      '    init: true',
      '    mem_limit: ${MEM:-64m}',
      '    memswap_limit: ${SWAP}',
      '    mem_reservation: ${MEMR:-32m}',
      '    shm_size: ${SHM:-16m}',
      '    pids_limit: ${PIDS:-64}',
      '    ulimits:',
      '      nofile: ${NOFILE:-1024}',
      '    tmpfs:',
      '      - /scratch:size=${TMPSZ:-8m}',
      '',
    ].join('\n');
    writeFileSync(join(dir, 'compose.yaml'), file);
    writeFileSync(join(dir, 'v1.yaml'), file.replace('${PIDS:-64}', '64'));
    await compose('up', '-d');
    const composed = await docker('inspect', '-f', LIMITS, `${viaCompose}_s_1`);
    expect(composed.trim()).toBe(
      `${64 * 2 ** 20} ${128 * 2 ** 20} ${32 * 2 ** 20} ${16 * 2 ** 20} 64 nofile=1024:1024`,
    );

    const imported = await berth(['import', '-o', 'berth', '-p', viaBerth], {
      cwd: dir,
      env: cleanEnv,
    });
    expect(imported.code, imported.stderr).toBe(0);
    const valid = await berth(['validate', '-f', 'berth'], { cwd: dir, env: cleanEnv });
    expect(valid.code, valid.stdout + valid.stderr).toBe(0);
    const applied = await berth(['apply', '-f', 'berth'], { cwd: dir, env: cleanEnv });
    expect(applied.code, applied.stderr + applied.stdout).toBe(0);
    const berthed = await docker('inspect', '-f', LIMITS, `${viaBerth}-s`);
    expect(berthed.trim()).toBe(composed.trim());

    // The tmpfs size the kernel was given (1 k blocks), whichever way the engine got it.
    const size = (name: string) =>
      docker('exec', name, 'sh', '-c', "df -k /scratch | awk 'NR==2 {print $2}'");
    expect((await size(`${viaBerth}-s`)).trim()).toBe((await size(`${viaCompose}_s_1`)).trim());
    expect((await size(`${viaBerth}-s`)).trim()).toBe('8192');
  });
});
