import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { TEST_IMAGE } from './docker.js';

const execFileAsync = promisify(execFile);

/** A private Podman API service (Podman's Docker-compatible API) for one test file. */
export interface PodmanService {
  /** `unix:///tmp/berth-podman-…/podman.sock`, for DOCKER_HOST. */
  host: string;
  /** Its folder: configuration, storage, run state, networks, events log. */
  dir: string;
  /** The test image as Podman names it after `podman load` (`localhost/…`). */
  image: string;
  /** Runs the podman CLI against this service only; trimmed stdout. */
  podman(...args: string[]): Promise<string>;
  /** The environment a docker CLI or berth needs to talk to this service. */
  env: NodeJS.ProcessEnv;
  /** Removes every container, network and volume, stops the service, deletes its folder. */
  stop(): Promise<void>;
}

/**
 * What root needs here (ENGINE-NOTES.md, "Other engines here"): no CAP_SYS_RESOURCE, so fixed
 * ulimits; no systemd, so cgroupfs and a file events log. Every path Podman would share with
 * another instance (network configs, tmp, volumes) points into `dir`.
 */
function containersConf(dir: string): string {
  return [
    '[containers]',
    'default_ulimits = ["nofile=20000:20000","nproc=4096:4096"]',
    '[network]',
    `network_config_dir = "${dir}/networks"`,
    '[engine]',
    'cgroup_manager = "cgroupfs"',
    'events_logger = "file"',
    `events_logfile_path = "${dir}/events.log"`,
    `tmp_dir = "${dir}/tmp"`,
    `static_dir = "${dir}/root/libpod"`,
    `volume_path = "${dir}/root/volumes"`,
    '',
  ].join('\n');
}

function storageConf(dir: string): string {
  return `[storage]\ndriver = "overlay"\nrunroot = "${dir}/run"\ngraphroot = "${dir}/root"\n`;
}

async function waitForSocket(host: string, child: ChildProcess, dir: string): Promise<void> {
  const socketPath = host.replace(/^unix:\/\//, '');
  const deadline = Date.now() + 30_000;
  for (;;) {
    const answered = await fetchVersion(socketPath);
    if (answered) return;
    if (child.exitCode !== null || Date.now() > deadline) {
      const log = readFileSync(join(dir, 'service.log'), 'utf8').slice(-2000);
      throw new Error(`podman system service did not answer on ${host}:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function fetchVersion(socketPath: string): Promise<boolean> {
  const { request } = await import('node:http');
  return new Promise((resolve) => {
    const req = request({ socketPath, path: '/version' }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.end();
  });
}

/** Unmounts what containers-storage mounted under `dir` (deepest first). */
async function unmountUnder(dir: string): Promise<void> {
  const mounts = readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[1] ?? '')
    .filter((target) => target === dir || target.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
  for (const target of mounts) {
    await execFileAsync('umount', ['-l', target]).catch(() => undefined);
  }
}

/**
 * Starts `podman system service` on its own unix socket, with its own root, runroot and
 * configuration under a fresh /tmp folder, and loads the test image from the host engine
 * into it (`docker save | podman load`). The host's dockerd is only read (the save).
 */
export async function startPodman(): Promise<PodmanService> {
  const dir = mkdtempSync('/tmp/berth-podman-');
  mkdirSync(join(dir, 'networks'));
  writeFileSync(join(dir, 'containers.conf'), containersConf(dir));
  writeFileSync(join(dir, 'storage.conf'), storageConf(dir));
  const host = `unix://${dir}/podman.sock`;
  const confEnv = {
    CONTAINERS_CONF: join(dir, 'containers.conf'),
    CONTAINERS_STORAGE_CONF: join(dir, 'storage.conf'),
  };
  const log = join(dir, 'service.log');
  writeFileSync(log, '');
  const { openSync } = await import('node:fs');
  const out = openSync(log, 'a');
  const child = spawn(
    'podman',
    [
      '--root',
      join(dir, 'root'),
      '--runroot',
      join(dir, 'run'),
      'system',
      'service',
      '--time',
      '0',
      host,
    ],
    { env: { ...process.env, ...confEnv }, stdio: ['ignore', out, out] },
  );
  const cliEnv = { ...process.env, ...confEnv, CONTAINER_HOST: host };
  const podman = async (...args: string[]) => {
    const { stdout } = await execFileAsync('podman', ['--remote', ...args], {
      env: cliEnv,
      maxBuffer: 16 * 1024 * 1024,
    }).catch((e: { stderr?: string; message: string }) => {
      throw new Error(`podman ${args.join(' ')}: ${e.stderr?.trim() || e.message}`);
    });
    return stdout.trim();
  };
  const stop = async () => {
    await podman('rm', '--all', '--force', '--time', '0').catch(() => undefined);
    await podman('network', 'prune', '--force').catch(() => undefined);
    await podman('volume', 'prune', '--force').catch(() => undefined);
    child.kill('SIGTERM');
    await new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      const timer = setTimeout(() => (child.kill('SIGKILL'), resolve()), 5000);
      child.once('exit', () => (clearTimeout(timer), resolve()));
    });
    await unmountUnder(dir);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForSocket(host, child, dir);
    await execFileAsync(
      'bash',
      ['-o', 'pipefail', '-c', `docker save "${TEST_IMAGE}" | podman --remote load -q`],
      // The save reads the host engine (DOCKER_HOST as the tests got it), never this service.
      { env: cliEnv },
    );
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    host,
    dir,
    image: TEST_IMAGE.startsWith('localhost/') ? TEST_IMAGE : `localhost/${TEST_IMAGE}`,
    podman,
    env: { DOCKER_HOST: host },
    stop,
  };
}
