import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { berth, type CliRun } from '../support/cli.js';
import { freePort, uniqueProject } from '../support/docker.js';
import { spawnBerth, tearDownWatch, waitForApi, type WatchProcess } from './watch-support.js';

/**
 * One integration test's project: a manifest folder, a state home of its own (so its history,
 * holds and last applied set are the test's alone) and, once started, its `berth watch`.
 * `tearDown` stops the watch and removes the project's engine objects and both folders.
 */
export interface WatchFixture {
  /** The project name (`<prefix>-<random>`), unique per run. */
  readonly project: string;
  /** The manifest folder `apply -f` and `watch` read. */
  readonly dir: string;
  /** XDG_STATE_HOME for every berth this test runs. */
  readonly stateHome: string;
  /** The running watch, from `startWatch` until it is stopped or torn down. */
  watch: WatchProcess | undefined;
  /** The environment every berth of this test runs with (`extra` added). */
  env(extra?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
  /** Writes `text` to `file` in the manifest folder. */
  write(file: string, text: string): Promise<void>;
  /** Runs `berth ARGS -p PROJECT` with the test's state home. */
  run(args: string[]): Promise<CliRun>;
  /**
   * Starts `berth watch DIR -p PROJECT --listen 127.0.0.1:<free port> ARGS` and waits until
   * its API answers (30 s, else rejects with the watch's stderr).
   */
  startWatch(args?: string[], env?: NodeJS.ProcessEnv): Promise<WatchProcess>;
  /** Stops the watch (SIGTERM, waits for its exit); no-op when none runs. */
  stopWatch(): Promise<void>;
  tearDown(): Promise<void>;
}

/** Makes the folders of a fixture whose project and folder names start with `prefix`. */
export async function watchFixture(prefix: string): Promise<WatchFixture> {
  const project = uniqueProject(prefix);
  const dir = await mkdtemp(join(tmpdir(), `berth-${prefix}-`));
  const stateHome = await mkdtemp(join(tmpdir(), `berth-${prefix}-state-`));
  const env = (extra: NodeJS.ProcessEnv = {}) => ({ XDG_STATE_HOME: stateHome, ...extra });
  const fixture: WatchFixture = {
    project,
    dir,
    stateHome,
    watch: undefined,
    env,
    write: (file, text) => writeFile(join(dir, file), text),
    run: (args) => berth([...args, '-p', project], { env: env() }),
    async startWatch(args = [], extraEnv = {}) {
      const listen = `127.0.0.1:${await freePort()}`;
      const watch = spawnBerth(
        ['watch', dir, '-p', project, '--listen', listen, ...args],
        env(extraEnv),
      );
      fixture.watch = watch;
      await waitForApi(watch);
      return watch;
    },
    async stopWatch() {
      const watch = fixture.watch;
      fixture.watch = undefined;
      watch?.child.kill('SIGTERM');
      await watch?.exited;
    },
    tearDown: () => tearDownWatch(fixture.watch, project, dir, stateHome),
  };
  return fixture;
}
