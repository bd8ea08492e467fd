import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { cleanupProject, docker, TEST_IMAGE, uniqueProject } from '../support/docker.js';

/**
 * Issue 14: a start-first update must not lose the requests of a client that reaches the
 * service by name over the project network. The client is a busybox wget loop (~50 req/s);
 * the service a busybox httpd that takes 1 s to boot.
 */

const project = uniqueProject('lossless');
let stateHome: string;

function set(mode: string): string {
  return `apiVersion: berth/v1
kind: Container
metadata: {name: web}
spec:
  image: ${TEST_IMAGE}
  init: true
  command: [sh, -c]
  args: ["mkdir -p /www && echo $$MODE > /www/index.html && sleep 1 && exec httpd -f -p 8080 -h /www"]
  env: {MODE: ${mode}}
  healthcheck: {command: [CMD-SHELL, "wget -q -O /dev/null http://127.0.0.1:8080/"], interval: 1s, timeout: 1s, retries: 3}
---
apiVersion: berth/v1
kind: Container
metadata: {name: client}
spec:
  image: ${TEST_IMAGE}
  init: true
  command: [sh, -c]
  args: ["while true; do if wget -q -O - http://web:8080/ >/dev/null 2>&1; then echo ok; else echo fail; fi; sleep 0.02; done"]
`;
}

const apply = (yaml: string) =>
  berth(['apply', '-f', '-', '-p', project, '--timeout', '60s', '--wait'], {
    stdin: yaml,
    env: { XDG_STATE_HOME: stateHome },
  });

async function counts(since: string): Promise<{ ok: number; fail: number }> {
  const lines = (await docker('logs', '--since', since, `${project}-client`)).split('\n');
  return {
    ok: lines.filter((l) => l === 'ok').length,
    fail: lines.filter((l) => l === 'fail').length,
  };
}

beforeAll(async () => {
  stateHome = await mkdtemp(join(tmpdir(), 'berth-lossless-state-'));
});
afterAll(async () => {
  await cleanupProject(project);
  await rm(stateHome, { recursive: true, force: true });
});

describe('start-first update under load', () => {
  it('a client resolving the service name loses no request during the update', async () => {
    const first = await apply(set('one'));
    expect(first.code, first.stderr).toBe(0);
    // The client's first requests may race the server's boot: count from when both run.
    await new Promise((r) => setTimeout(r, 1_000));
    const since = new Date().toISOString();
    const oldId = await docker('inspect', '-f', '{{.Id}}', `${project}-web`);
    const run = await apply(set('two'));
    expect(run.code, run.stderr + run.stdout).toBe(0);
    expect(await docker('inspect', '-f', '{{.Id}}', `${project}-web`)).not.toBe(oldId);
    await new Promise((r) => setTimeout(r, 1_000));
    const { ok, fail } = await counts(since);
    console.log(`start-first update under load: ${ok} requests answered, ${fail} failed`);
    expect(fail).toBe(0);
    expect(ok).toBeGreaterThan(10); // the client ran throughout (the shared machine is slow)
  });
});
