import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HistoryItem } from '../../controller/cli/views/format-history.js';
import { berth } from '../support/cli.js';
import { cleanupProject, freePort, uniqueProject } from '../support/docker.js';
import { scriptYaml, sleeperYaml } from '../support/manifests.js';
import {
  eventually,
  spawnBerth,
  tearDownWatch,
  waitForApi,
  type WatchProcess,
} from './watch-support.js';

/**
 * F624: a dependency that exited (restartPolicy Never, exit 1) failed its dependant with
 * `dependency Container/migrate exited with code 1` and no word of why; the reason now quotes
 * the dependency's last log lines (Engine.tailLogs), a Secret's value masked (outputExcerpt).
 * F622: `berth watch`'s history entry of such a change keeps each failed object's reason
 * (`history -o json` failures[]), as an apply's entry does since F561.
 */
const TOKEN = 'tok-DEPLOG-4417';
let stateHome: string;
const env = () => ({ XDG_STATE_HOME: stateHome, DEP_TOKEN: TOKEN });
const secret = `apiVersion: berth/v1
kind: Secret
metadata: {name: token}
spec: {env: DEP_TOKEN}
---
`;
// Both lines on stderr: the engine keeps no order between a container's stdout and stderr.
const migrate = scriptYaml(
  'migrate',
  'echo migrating >&2; echo no table users, token $$(cat /run/secrets/token) >&2; exit 1',
  `  restartPolicy: Never
  mounts: [{secret: token, target: /run/secrets/token}]
`,
);
const web = sleeperYaml('web', '  dependsOn: [{container: migrate, condition: completed}]\n');
const manifests = `${secret}${migrate}---\n${web}`;
// Whether apply saw the exit when it started the job (held; the dependant skipped) or while the
// dependant waited for `completed` (the dependant failed), the dependant's reason quotes the log.
const quoted = /Container\/migrate .*exited .*\(last log: migrating no table users, token \*\*\*\)/;

beforeAll(async () => {
  stateHome = await mkdtemp(join(tmpdir(), 'berth-deplog-state-'));
});
afterAll(async () => {
  await rm(stateHome, { recursive: true, force: true });
});

describe('apply: a dependency that exits under restartPolicy Never', () => {
  const project = uniqueProject('deplog');
  afterAll(() => cleanupProject(project));

  it("fails its dependant with the dependency's last log lines, the secret masked", async () => {
    const applied = await berth(['apply', '-f', '-', '-p', project, '--timeout', '60s'], {
      stdin: manifests,
      env: env(),
    });
    const out = applied.stdout + applied.stderr;
    expect(applied.code, out).toBe(2);
    expect(out).toMatch(new RegExp(`Container/web: .*${quoted.source}`));
    expect(out).toMatch(/Container\/migrate: .*\(last log: migrating no table users/);
    expect(out).not.toContain(TOKEN);
  }, 120_000);
});

describe('watch: the history entry of a change that failed', () => {
  const project = uniqueProject('deplogw');
  let dir: string;
  let watch: WatchProcess | undefined;
  afterAll(() => tearDownWatch(watch, project, dir));

  it("keeps each failed object's reason in history -o json, as apply's entry does", async () => {
    dir = await mkdtemp(join(tmpdir(), 'berth-deplogw-'));
    await writeFile(join(dir, 'set.yaml'), manifests);
    const port = await freePort();
    watch = spawnBerth(['watch', dir, '-p', project, '--listen', `127.0.0.1:${port}`], env());
    await waitForApi(watch);
    let entries: HistoryItem[] = [];
    const recorded = await eventually(
      async () => {
        const r = await berth(['history', '-p', project, '-o', 'json'], { env: env() });
        entries = JSON.parse(r.stdout || '[]') as HistoryItem[];
        return entries.some((e) => e.message === 'applied by berth watch');
      },
      90_000,
      500,
    );
    expect(recorded, watch.stderr()).toBe(true);
    const entry = entries.find((e) => e.message === 'applied by berth watch');
    expect(entry?.outcome).toBe('failed');
    expect(entry?.failures).toEqual([
      expect.objectContaining({
        key: 'Container/web',
        reason: expect.stringMatching(quoted) as string,
      }),
    ]);
    expect(JSON.stringify(entries)).not.toContain(TOKEN);
  }, 150_000);
});
