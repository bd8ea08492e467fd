import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { engineCall } from './engine-http.js';
import { BENCH_IMAGE } from './workload.js';
import type { Machine } from './results.js';

const quiet = (cmd: string, args: string[], cwd?: string) =>
  execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' }).trim();

function has(cmd: string): boolean {
  try {
    quiet('sh', ['-c', `command -v ${cmd}`]);
    return true;
  } catch {
    return false;
  }
}

/** Fails with a one-line reason when the engine does not answer; returns its version. */
export async function ensureEngine(): Promise<{ version: string; api: string }> {
  const body = await engineCall('GET', '/version').catch((e: Error) => {
    throw new Error(`the engine does not answer on its socket (${e.message}); start dockerd first`);
  });
  const v = JSON.parse(body) as { Version: string; ApiVersion: string };
  return { version: v.Version, api: v.ApiVersion };
}

/** Builds the local test image when it is missing (scripts/build-test-image.sh). */
export function ensureImage(root: string): void {
  quiet('bash', [join(root, 'scripts', 'build-test-image.sh')], root);
  quiet('docker', ['image', 'inspect', BENCH_IMAGE]);
}

/** Builds berth's CLI bundle (dist/) so the bench measures what users run. */
export function ensureBerthBuilt(root: string, rebuild: boolean): void {
  if (rebuild || !existsSync(join(root, 'dist', 'berth.mjs')))
    quiet('npm', ['run', 'build', '--silent'], root);
}

/**
 * Installs docker-compose 1.29.2 from Debian when missing. Returns its version, or undefined
 * when it cannot be installed (the compose columns are then reported as not measured).
 */
export function ensureCompose(log: (line: string) => void): string | undefined {
  if (!has('docker-compose')) {
    log('installing docker-compose from Debian (apt-get install docker-compose)…');
    try {
      execFileSync('apt-get', ['install', '-y', 'docker-compose'], {
        stdio: 'ignore',
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      });
    } catch {
      log('docker-compose could not be installed; compose is not measured');
      return undefined;
    }
  }
  return quiet('docker-compose', ['version', '--short']);
}

/** The machine line of RESULTS.md. */
export function describeMachine(
  engine: { version: string; api: string },
  mode: string,
  compose?: string,
): Machine {
  const machine: Machine = {
    cores: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    memoryMb: Math.round(totalmem() / 2 ** 20),
    engineVersion: engine.version,
    apiVersion: engine.api,
    node: process.version,
    date: new Date().toISOString(),
    mode,
    podman: 'not measured (optional; see RESULTS.md)',
  };
  if (compose) machine.composeVersion = compose;
  return machine;
}
