import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { cleanupProject, freePort, uniqueProject } from '../support/docker.js';
import { sleeperYaml } from '../support/manifests.js';

// On the real engine, through the CLI: a container of the project left running (no longer
// declared, not pruned) holds the host port the new `web` publishes, so web's start fails, and
// `app`, which dependsOn web, is never created.
// F663: app was reported `create failed` (status: `last apply: create failed: Container/web did
// not converge`) though nothing of it ran; it says its dependency failed and it was not created.
// F668 c: the engine's refusal read "host port 127.0.0.1:P is in use"; the holder, a container
// of the observation already in hand, is named.
const project = uniqueProject('depfail');
const dir = mkdtempSync(join(tmpdir(), 'berth-depfail-'));
const stateDir = mkdtempSync(join(tmpdir(), 'berth-depfail-state-'));
const env = { XDG_STATE_HOME: stateDir };
const run = (args: string[]) => berth([...args, '-p', project], { cwd: dir, env });
let port = 0;

beforeAll(async () => {
  port = await freePort();
  const published = `  ports: ["127.0.0.1:${port}:80"]\n`;
  writeFileSync(join(dir, 'old.yaml'), sleeperYaml('old', published));
  writeFileSync(
    join(dir, 'new.yaml'),
    `${sleeperYaml('web', published)}---\n${sleeperYaml('app', '  dependsOn: [{container: web}]\n')}`,
  );
});

afterAll(async () => {
  await cleanupProject(project);
  rmSync(dir, { recursive: true, force: true });
  rmSync(stateDir, { recursive: true, force: true });
});

describe('a dependency that fails (F663) on a port another container holds (F668 c)', () => {
  it('apply names the holder, and says the dependant was not created', async () => {
    const first = await run(['apply', '-f', 'old.yaml']);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    const second = await run(['apply', '-f', 'new.yaml']);
    expect(second.code, second.stdout + second.stderr).toBe(2);
    expect(second.stdout).toMatch(
      new RegExp(
        `^Container/web: failed: start \\w+: host port 127\\.0\\.0\\.1:${port} is in use by container ${project}-old$`,
        'm',
      ),
    );
    // The dependency's own reason follows in parentheses (F624), so the line stands alone.
    expect(second.stdout).toMatch(
      new RegExp(
        `^Container/app: skipped: dependency Container/web failed: not created \\(start \\w+: host port 127\\.0\\.0\\.1:${port} is in use by container ${project}-old\\)$`,
        'm',
      ),
    );
  });

  it('status says the same of app, not "create failed"', async () => {
    const status = await run(['status', '-o', 'json']);
    expect(status.code).toBe(3);
    const objects = (JSON.parse(status.stdout) as { objects: { key: string; reason: string }[] })
      .objects;
    const reason = (key: string) => objects.find((o) => o.key === key)?.reason;
    expect(reason('Container/app')).toMatch(
      /^last apply: dependency Container\/web failed: not created \(start \w+: host port .* is in use by container /,
    );
    expect(reason('Container/web')).toMatch(/^last apply: start failed: .* by container /);
  });
});
