import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The scripts that start extra engines in network namespaces (scripts/cluster/README.md). */
const CLUSTER_DIR =
  process.env.BERTH_CLUSTER_DIR ?? new URL('../../scripts/cluster/', import.meta.url).pathname;

/** Engine i (1-based) of the cluster, as a Docker endpoint reachable from this host. */
export const clusterEngine = (i: number) => `tcp://10.231.0.1${i}:2375`;

export interface Cluster {
  /** Stops engine i's dockerd (the engine goes away; down() still cleans up). */
  stopEngine(i: number): Promise<void>;
  /** Tears the cluster down, when this process started it. */
  down(): Promise<void>;
}

/**
 * Two extra dockerd (no Swarm), with the test image loaded: about 5 s up, 4-6 s down.
 * An already running cluster (someone's manual session) is used as it is and left running.
 */
export async function startCluster(image: string): Promise<Cluster> {
  const ours = !existsSync('/run/dc1.sock');
  if (ours) {
    await run('bash', [join(CLUSTER_DIR, 'up.sh')], {
      env: { ...process.env, N: '2', SWARM: '0', IMAGE: image },
      timeout: 90_000,
    });
  }
  return {
    stopEngine: async (i) => {
      const pid = Number(readFileSync(`/run/dcluster/d${i}.pid`, 'utf8').trim());
      process.kill(pid, 'SIGTERM');
      for (let t = 0; t < 100; t++) {
        const alive = await run('docker', ['-H', clusterEngine(i), 'version']).then(
          () => true,
          () => false,
        );
        if (!alive) return;
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    down: async () => {
      if (ours) await run('bash', [join(CLUSTER_DIR, 'down.sh')], { timeout: 90_000 });
    },
  };
}

/**
 * A scratch folder with its own Docker configuration (DOCKER_CONFIG, so contexts made here
 * never touch the user's), a manifest folder `dir`, and the environment that makes berth
 * use them: no DOCKER_HOST or DOCKER_CONTEXT from outside, its own state folder.
 */
export function scratchDockerConfig(prefix: string) {
  const work = mkdtempSync(join(tmpdir(), `berth-${prefix}-`));
  const config = join(work, 'docker-config');
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
