/** Docker's default socket, where berth and the docker CLI go without DOCKER_HOST or a context. */
export const DOCKER_DEFAULT_HOST = 'unix:///var/run/docker.sock';

/**
 * The engine the tests run against, as berth and the docker CLI pick it: `DOCKER_HOST` when
 * set, else Docker's default socket. `BERTH_TEST_ENGINE=podman` makes the run's global set-up
 * start a Podman service and point `DOCKER_HOST` at it (test/support/global-setup.ts), so a
 * test names this, never `/var/run/docker.sock`, for "the engine under test".
 */
export const ENGINE_HOST = process.env.DOCKER_HOST || DOCKER_DEFAULT_HOST;

/** The unix socket of {@link ENGINE_HOST}; Docker's default socket when it is not one. */
export const ENGINE_SOCKET = (
  ENGINE_HOST.startsWith('unix://') ? ENGINE_HOST : DOCKER_DEFAULT_HOST
).slice('unix://'.length);

/** Engines `BERTH_TEST_ENGINE` may name. */
export type TestEngine = 'docker' | 'podman';

/**
 * `BERTH_TEST_ENGINE`: `podman` (the set-up starts a private Podman service for the run) or
 * `docker`/unset (the engine DOCKER_HOST names, else the default socket). Throws on anything
 * else, so a typo never silently runs the tests on Docker.
 */
export function testEngine(env: NodeJS.ProcessEnv = process.env): TestEngine {
  const value = env.BERTH_TEST_ENGINE ?? '';
  if (value === '' || value === 'docker') return 'docker';
  if (value === 'podman') return 'podman';
  throw new Error(`BERTH_TEST_ENGINE=${value}: expected docker or podman`);
}

/** Where global-setup keeps the TMPDIR the run started with (unset: none was set). */
export const HOST_TMPDIR_ENV = 'BERTH_TEST_HOST_TMPDIR';

/**
 * The environment for an engine a test starts (dockerd after a restart, the cluster's): the
 * test's own with the TMPDIR the run started with. The run's TMPDIR (global-setup.ts) is
 * removed at its end, and runc writes each exec's process file there: a dockerd started with
 * it failed every `docker exec` and health probe once the run was over.
 */
export function engineProcessEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  const host = process.env[HOST_TMPDIR_ENV];
  if (host) env.TMPDIR = host;
  else delete env.TMPDIR;
  delete env[HOST_TMPDIR_ENV];
  return env;
}
