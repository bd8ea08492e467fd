import { execFile, spawn, type ChildProcess } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  watch,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { TEST_IMAGE } from './docker.js';
import { holdHostLock } from './host-lock.js';
import {
  removeAardvarkRecords,
  removeDeadIsolationRules,
  removeIdleNetavarkChains,
  removeNetavarkLeftovers,
} from './netavark-leftovers.js';

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
  /**
   * Removes every container, network and volume through Podman, stops the service, removes
   * the firewall chains and aardvark-dns records netavark left for its networks, deletes its
   * folder.
   */
  stop(): Promise<void>;
}

/**
 * What root needs here (ENGINE-NOTES.md, "Other engines here"): no CAP_SYS_RESOURCE, so fixed
 * ulimits; no systemd, so cgroupfs and a file events log; netavark with aardvark-dns for
 * names (scripts/setup.sh installs both). Every path Podman would share with
 * another instance (network configs, tmp, volumes) points into `dir`.
 */
function containersConf(dir: string): string {
  return [
    '[containers]',
    'default_ulimits = ["nofile=20000:20000","nproc=4096:4096"]',
    '[network]',
    // Not CNI: Podman 4.3 falls back to it when netavark is not installed, and CNI without the
    // dnsname plugin gives no DNS by name at all (every alias test fails "bad address").
    'network_backend = "netavark"',
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
 * One private Podman service at a time on this host. Every service names its bridges
 * `podman1`, `podman2`, … and takes subnets from 10.89.0.0/24 up, checking only its own
 * networks and the bridges that already exist; a bridge appears with its first container,
 * so two services started together chose the same name and subnet for different networks
 * (seen: conformance's `front` and ownership's `default` both `podman2`, 10.89.1.0/24), the
 * first to finish deleted the other's bridge, and wget answered "No route to host".
 */
const HOST_LOCK = '/tmp/berth-podman.lock';

/** Network names from the JSON files in a service's network folder (one file a network). */
function networkNamesIn(dir: string): string[] {
  const folder = join(dir, 'networks');
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((file) => file.endsWith('.json'))
    .map((file) => file.slice(0, -'.json'.length));
}

/**
 * The folders of services that ended without their stop (a killed test run): their socket
 * answers no more. Their leftover firewall chains, aardvark-dns records, mounts and files go; a folder whose
 * service still answers is left alone. Run only while holding {@link HOST_LOCK}.
 */
async function removeDeadServices(): Promise<void> {
  for (const entry of readdirSync('/tmp')) {
    if (!entry.startsWith('berth-podman-')) continue;
    const dir = join('/tmp', entry);
    if (await fetchVersion(join(dir, 'podman.sock'))) continue;
    const networks = networkNamesIn(dir);
    await removeNetavarkLeftovers(networks);
    removeAardvarkRecords(networks);
    await unmountUnder(dir);
    rmSync(dir, { recursive: true, force: true });
  }
  // Also rules a killed service left on bridge names this service may be given now.
  await removeDeadIsolationRules();
}

function serviceHandle(dir: string, stop: () => Promise<void>): PodmanService {
  const host = `unix://${dir}/podman.sock`;
  const cliEnv = {
    ...process.env,
    CONTAINERS_CONF: join(dir, 'containers.conf'),
    CONTAINERS_STORAGE_CONF: join(dir, 'storage.conf'),
    CONTAINER_HOST: host,
  };
  const podman = async (...args: string[]) => {
    const { stdout } = await execFileAsync('podman', ['--remote', ...args], {
      env: cliEnv,
      maxBuffer: 16 * 1024 * 1024,
    }).catch((e: { stderr?: string; message: string }) => {
      throw new Error(`podman ${args.join(' ')}: ${e.stderr?.trim() || e.message}`);
    });
    return stdout.trim();
  };
  return {
    host,
    dir,
    image: TEST_IMAGE.startsWith('localhost/') ? TEST_IMAGE : `localhost/${TEST_IMAGE}`,
    podman,
    env: { DOCKER_HOST: host },
    stop,
  };
}

/**
 * Removes what the service holds through the service itself, so netavark tears down the
 * firewall rules of each network (containers first, then every network but Podman's default,
 * then volumes). Errors are ignored: clean-up does its best and the folder goes anyway.
 */
async function emptyService(service: PodmanService): Promise<void> {
  await service.podman('rm', '--all', '--force', '--time', '0').catch(() => undefined);
  const networks = await service.podman('network', 'ls', '--format', '{{.Name}}').catch(() => '');
  const own = networks.split('\n').filter((name) => name && name !== 'podman');
  if (own.length) await service.podman('network', 'rm', '--force', ...own).catch(() => undefined);
  await service.podman('volume', 'rm', '--all', '--force').catch(() => undefined);
}

/**
 * A hook timeout (ms) for {@link startPodman}: it may wait for the services of other test
 * files (one at a time on a host), each up to a minute or two.
 */
export const PODMAN_START_TIMEOUT = 600_000;

/** The run's own service (BERTH_TEST_ENGINE=podman) when global-setup started one. */
export const RUN_PODMAN_DIR_ENV = 'BERTH_TEST_PODMAN_DIR';

/**
 * Starts `podman system service` on its own unix socket, with its own root, runroot and
 * configuration under a fresh /tmp folder, and loads the test image from the host engine
 * into it (`docker save | podman load`). The host's dockerd is only read (the save).
 * Waits for {@link HOST_LOCK} first (a test file's hook needs a timeout for that wait). In a
 * run whose global set-up started a service (BERTH_TEST_ENGINE=podman), that one is returned
 * instead and its stop does nothing (the run's teardown stops it).
 * `stop()` removes everything through Podman, stops it, removes the firewall chains and
 * aardvark-dns records netavark still left for its networks, its mounts and its folder, and
 * gives the lock back.
 */
export async function startPodman(): Promise<PodmanService> {
  const runDir = process.env[RUN_PODMAN_DIR_ENV];
  if (runDir) return serviceHandle(runDir, async () => undefined);
  const release = await holdHostLock(HOST_LOCK);
  await removeDeadServices();
  const dir = mkdtempSync('/tmp/berth-podman-');
  mkdirSync(join(dir, 'networks'));
  // Every network the service ever had, also those removed before the stop: their chains.
  const networks = new Set<string>();
  const watcher = watch(join(dir, 'networks'), (_event, file) => {
    if (file?.endsWith('.json')) networks.add(file.slice(0, -'.json'.length));
  });
  writeFileSync(join(dir, 'containers.conf'), containersConf(dir));
  writeFileSync(join(dir, 'storage.conf'), storageConf(dir));
  const log = join(dir, 'service.log');
  const out = openSync(log, 'a');
  const host = `unix://${dir}/podman.sock`;
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
    {
      env: {
        ...process.env,
        CONTAINERS_CONF: join(dir, 'containers.conf'),
        CONTAINERS_STORAGE_CONF: join(dir, 'storage.conf'),
      },
      stdio: ['ignore', out, out],
    },
  );
  const stop = async () => {
    await emptyService(service);
    for (const name of networkNamesIn(dir)) networks.add(name);
    watcher.close();
    child.kill('SIGTERM');
    await new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      const timer = setTimeout(() => (child.kill('SIGKILL'), resolve()), 5000);
      child.once('exit', () => (clearTimeout(timer), resolve()));
    });
    await removeNetavarkLeftovers(networks);
    removeAardvarkRecords(networks);
    await removeDeadIsolationRules();
    await removeIdleNetavarkChains();
    await unmountUnder(dir);
    rmSync(dir, { recursive: true, force: true });
    await release();
  };
  const service = serviceHandle(dir, stop);
  try {
    await waitForSocket(host, child, dir);
    await execFileAsync(
      'bash',
      ['-o', 'pipefail', '-c', `docker save "${TEST_IMAGE}" | podman --remote load -q`],
      // The save reads the host engine (DOCKER_HOST as the tests got it), never this service.
      {
        env: {
          ...process.env,
          CONTAINER_HOST: host,
          CONTAINERS_CONF: join(dir, 'containers.conf'),
        },
      },
    );
  } catch (e) {
    await stop();
    throw e;
  }
  return service;
}
