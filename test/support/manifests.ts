import { loadManifests } from '../../specs/index.js';
import type { DesiredObject } from '../../specs/model.js';
import { TEST_IMAGE } from './docker.js';

/** Loads manifests from YAML text; fails the test on any problem. */
export async function desiredFrom(yaml: string, cwd = '/tmp'): Promise<DesiredObject[]> {
  const result = await loadManifests(['-'], { stdin: yaml, cwd });
  if (result.problems.length) {
    throw new Error(
      result.problems.map((p) => `${p.line}:${p.column} ${p.message} [${p.code}]`).join('\n'),
    );
  }
  return result.set.objects;
}

/**
 * A container that sleeps and stops at once (the engine's init forwards SIGTERM); `extra`
 * is appended to its spec (indented two spaces, ending in a newline).
 */
/** A Container of the test image running `script` under `sh -c`; `extra` lines go under spec. */
export function scriptYaml(name: string, script: string, extra = ''): string {
  return `apiVersion: berth/v1
kind: Container
metadata: {name: ${name}}
spec:
  image: ${TEST_IMAGE}
  command: [sh, -c]
  args: [${JSON.stringify(script)}]
${extra}`;
}

export function sleeperYaml(name: string, extra = ''): string {
  return `apiVersion: berth/v1
kind: Container
metadata: {name: ${name}}
spec:
  image: ${TEST_IMAGE}
  init: true
  command: [sleep, "3600"]
${extra}`;
}

/**
 * An Image `app` built from `./app` (tagged `ref`) and a Container running it that prints its
 * `/v` file, with a 1 s update gate: the built-image retention tests' set. `env` adds env vars.
 */
export function builtAppYaml(ref: string, env: Record<string, string> = {}): string {
  const vars = Object.entries(env).map(([k, v]) => `${k}: "${v}"`);
  return `apiVersion: berth/v1
kind: Image
metadata: {name: app}
spec: {ref: "${ref}", build: {context: ./app}}
---
apiVersion: berth/v1
kind: Container
metadata: {name: app}
spec:
  image: app
  init: true
  command: [sh, -c, "cat /v; sleep 600"]
${vars.length ? `  env: {${vars.join(', ')}}\n` : ''}  update: {minReady: 1s}
`;
}

/** Three busybox httpd replicas, healthy once they serve; MODE in their env. */
export function replicaWebYaml(
  mode: string,
  health = 'wget -q -O /dev/null http://127.0.0.1:8080/',
): string {
  return `apiVersion: berth/v1
kind: Container
metadata: {name: web}
spec:
  image: ${TEST_IMAGE}
  replicas: 3
  init: true
  command: [sh, -c]
  args: ["mkdir -p /www && echo $$MODE > /www/index.html && exec httpd -f -p 8080 -h /www"]
  env: {MODE: ${mode}}
  healthcheck: {command: [CMD-SHELL, "${health}"], interval: 1s, timeout: 1s, retries: 2}
  # A loaded machine may be slow to become healthy; a failing check still fails at once (unhealthy).
  update: {healthTimeout: 30s}
`;
}

/**
 * `replicaWebYaml` with MODE and a Volume `counter`: each new container counts those started before it
 * (replicas are updated one at a time), and only the first two become healthy — so the new
 * spec fails its gate on replica 3 alone, deterministically.
 */
export function countedWebYaml(mode: string): string {
  return `apiVersion: berth/v1
kind: Volume
metadata: {name: counter}
---
apiVersion: berth/v1
kind: Container
metadata: {name: web}
spec:
  image: ${TEST_IMAGE}
  replicas: 3
  init: true
  command: [sh, -c]
  args: ["n=$$(ls /c | wc -l); touch /c/$$HOSTNAME; if [ $$n -lt 2 ]; then touch /tmp/ok; fi; mkdir -p /www && echo $$MODE > /www/index.html && exec httpd -f -p 8080 -h /www"]
  env: {MODE: ${mode}}
  mounts: [{volume: counter, target: /c}]
  healthcheck: {command: [CMD, test, -f, /tmp/ok], interval: 1s, timeout: 1s, retries: 2}
  update: {order: start-first, healthTimeout: 30s}
`;
}

/**
 * A Container `name` with a healthcheck on /tmp/ok and env V=`version`: version 1 touches it
 * (healthy), later ones never do (a gate that lasts ~30 s); `extra` is appended to its spec
 * (indented two spaces, ending in a newline). The Ctrl-C-during-a-gate tests' set.
 */
export function gatedYaml(name: string, version: number, order: string, extra = ''): string {
  const touch = version === 1 ? 'touch /tmp/ok; ' : '';
  return scriptYaml(
    name,
    `${touch}trap 'exit 0' TERM; sleep 3600 & wait`,
    `  env: {V: "${version}"}
  healthcheck: {command: [CMD, test, -f, /tmp/ok], interval: 1s, timeout: 1s, retries: 30}
  update: {order: ${order}}
${extra}`,
  );
}
