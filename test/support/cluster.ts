import { execFile } from 'node:child_process';
import { engineProcessEnv } from './engine.js';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DOCKER_DEFAULT_HOST, ENGINE_HOST } from './engine.js';

const run = promisify(execFile);

/** The scripts that start extra engines in network namespaces (scripts/cluster/README.md). */
const CLUSTER_DIR =
  process.env.BERTH_CLUSTER_DIR ?? new URL('../../scripts/cluster/', import.meta.url).pathname;

/** Engine i (1-based) of the cluster, as a Docker endpoint reachable from this host. */
export const clusterEngine = (i: number) => `tcp://10.231.0.1${i}:2375`;

/** `docker -H <engine i> ARGS…` against the cluster; resolves with its trimmed stdout. */
export const onEngine = (i: number, ...args: string[]) =>
  run('docker', ['-H', clusterEngine(i), ...args]).then((r) => r.stdout.trim());

export interface Cluster {
  /**
   * Stops engine i's dockerd (the engine goes away; down() still cleans up). Throws when the
   * cluster was already running (a manual session's), which this must not break.
   */
  stopEngine(i: number): Promise<void>;
  /** Tears the cluster down, when this process started it. */
  down(): Promise<void>;
}

/**
 * Two extra dockerd (no Swarm), with the test image loaded: about 5 s up, 4-6 s down.
 * An already running cluster (someone's manual session) is used as it is and left running.
 */
export function startCluster(image: string): Promise<Cluster> {
  return bringUp(image, { N: '2', SWARM: '0' });
}

/**
 * Three extra dockerd joined into a Swarm (engine 1 the manager), the test image loaded on
 * each: about 5 s up. An already running cluster must be a Swarm of three Ready nodes.
 */
export async function startSwarm(image: string): Promise<Cluster> {
  const cluster = await bringUp(image, { N: '3', SWARM: '1' });
  try {
    const nodes = await run('docker', [
      '-H',
      clusterEngine(1),
      'node',
      'ls',
      '--format',
      '{{.Status}}',
    ]);
    const ready = nodes.stdout.split('\n').filter((l) => l.trim() === 'Ready').length;
    if (ready !== 3)
      throw new Error(`the running cluster is not a Swarm of 3 Ready nodes (${ready})`);
  } catch (e) {
    await cluster.down();
    throw e;
  }
  return cluster;
}

/**
 * The scripts use fixed paths and names: one cluster per machine. Test files that use one
 * (placement, swarm) take this lock for their whole run, one after the other; a lock whose
 * holder process is gone is taken over. Waits up to 5 minutes.
 */
const LOCK = '/run/berth-test-cluster.lock';

async function takeClusterLock(): Promise<() => void> {
  for (let t = 0; t < 1500; t++) {
    try {
      mkdirSync(LOCK);
      writeFileSync(join(LOCK, 'pid'), String(process.pid));
      return () => rmSync(LOCK, { recursive: true, force: true });
    } catch {
      const holder = lockHolder();
      if (holder && !alive(holder)) rmSync(LOCK, { recursive: true, force: true });
      else await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error(`another test holds the cluster (${LOCK}) for more than 5 minutes`);
}

/** The pid in the lock; 0 while the lock is being written. */
function lockHolder(): number {
  try {
    return Number(readFileSync(join(LOCK, 'pid'), 'utf8').trim() || '0');
  } catch {
    return 0;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function bringUp(image: string, env: { N: string; SWARM: string }): Promise<Cluster> {
  const release = await takeClusterLock();
  const ours = !existsSync('/run/dc1.sock');
  try {
    if (ours) {
      await run('bash', [join(CLUSTER_DIR, 'up.sh')], {
        env: { ...engineProcessEnv(), ...env, IMAGE: image },
        timeout: 90_000,
      });
    }
  } catch (e) {
    await run('bash', [join(CLUSTER_DIR, 'down.sh')], { timeout: 90_000 }).catch(() => undefined);
    release();
    throw e;
  }
  return {
    stopEngine: async (i) => {
      // Someone's running cluster is not ours to break: the scripts cannot bring one engine back.
      if (!ours)
        throw new Error(
          `this test stops cluster engine ${i}; it runs only on a cluster it starts itself: ` +
            'stop the running one first (bash scripts/cluster/down.sh)',
        );
      const pid = Number(readFileSync(`/run/dcluster/d${i}.pid`, 'utf8').trim());
      process.kill(pid, 'SIGTERM');
      for (let t = 0; t < 100; t++) {
        const up = await run('docker', ['-H', clusterEngine(i), 'version']).then(
          () => true,
          () => false,
        );
        if (!up) return;
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    down: async () => {
      try {
        if (ours) await run('bash', [join(CLUSTER_DIR, 'down.sh')], { timeout: 90_000 });
      } finally {
        release();
      }
    },
  };
}

/**
 * A scratch folder with its own Docker configuration (DOCKER_CONFIG, so contexts made here
 * never touch the user's), a manifest folder `dir`, and the environment that makes berth
 * use them: no DOCKER_HOST or DOCKER_CONTEXT from outside, its own state folder. When the
 * engine under test is not Docker's default socket (BERTH_TEST_ENGINE=podman), the scratch
 * configuration's current context `engine` names it, so berth's own engine is still it.
 */
export function scratchDockerConfig(prefix: string) {
  const work = mkdtempSync(join(tmpdir(), `berth-${prefix}-`));
  const config = join(work, 'docker-config');
  if (ENGINE_HOST !== DOCKER_DEFAULT_HOST) writeCurrentContext(config, 'engine', ENGINE_HOST);
  const env = {
    DOCKER_CONFIG: config,
    XDG_STATE_HOME: join(work, 'state'),
    DOCKER_HOST: '',
    DOCKER_CONTEXT: '',
  };
  /** `docker context …` against this configuration. */
  const contexts = (...args: string[]) =>
    run('docker', ['context', ...args], { env: { ...process.env, DOCKER_CONFIG: config } });
  return { work, config, dir: join(work, 'app'), env, contexts };
}

/**
 * Writes context `name` (endpoint `host`) into Docker's context store under `config` and makes
 * it the current one, as `docker context create` and `docker context use` would.
 */
function writeCurrentContext(config: string, name: string, host: string): void {
  const meta = join(config, 'contexts', 'meta', createHash('sha256').update(name).digest('hex'));
  mkdirSync(meta, { recursive: true });
  const endpoint = { Host: host, SkipTLSVerify: false };
  const body = { Name: name, Metadata: {}, Endpoints: { docker: endpoint } };
  writeFileSync(join(meta, 'meta.json'), JSON.stringify(body));
  writeFileSync(join(config, 'config.json'), JSON.stringify({ currentContext: name }));
}
