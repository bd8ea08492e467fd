import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { TEST_IMAGE, cleanupProject, docker, uniqueProject } from '../support/docker.js';
import { tempDir } from '../support/temp-dir.js';

/**
 * Issue 13, on the real engine: an imported app applied without -p runs as the Compose
 * project (name: → out/.env), a pass-through variable takes berth's value at apply (never
 * the importing shell's), container_name is named as lost and stays an alias, and a service
 * without `restart:` comes back on the next apply after `docker stop`, as `docker compose up`
 * starts it again; the job a service waits for to complete stays completed.
 */
const project = uniqueProject('impar');
afterAll(() => cleanupProject(project));

const compose = (dir: string) =>
  writeFileSync(
    join(dir, 'compose.yaml'),
    `name: ${project}
services:
  app:
    image: ${TEST_IMAGE}
    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 300 & wait"]
    container_name: ${project}-app-main
    environment: [PASS_SET, PASS_UNSET]
    depends_on:
      job: {condition: service_completed_successfully}
  job:
    image: ${TEST_IMAGE}
    command: ["echo", "done"]
  probe:
    image: ${TEST_IMAGE}
    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 300 & wait"]
`,
  );

/** The container's environment as the engine has it: NAME → value. */
async function engineEnv(name: string): Promise<Record<string, string>> {
  const list = JSON.parse(await docker('inspect', '-f', '{{json .Config.Env}}', name)) as string[];
  return Object.fromEntries(
    list.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]),
  );
}

const running = (name: string) => docker('inspect', '-f', '{{.State.Status}}', name);

describe('berth import → berth apply behaves like docker compose up (issue 13)', () => {
  it('project from name:, pass-through env, container_name named, a stopped service started again', async () => {
    const dir = tempDir('berth-import-parity-');
    compose(dir);
    const imported = await berth(['import', '-o', 'out'], {
      cwd: dir,
      env: { PASS_SET: 'importing-shell-value' },
    });
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stderr).toContain(
      `compose.yaml:6:5: warning: services.app.container_name: berth names the engine container ${project}-app (`,
    );
    expect(imported.stdout).toContain(`out/.env names the project ${project}`);
    const written = readdirSync(join(dir, 'out')).map((f) =>
      readFileSync(join(dir, 'out', f), 'utf8'),
    );
    expect(written.join('\n')).not.toContain('importing-shell-value');

    const env = { PASS_SET: 'value-at-apply', PASS_UNSET: undefined };
    const applied = await berth(['apply', '-f', 'out', '--log-level', 'warn'], { cwd: dir, env });
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    const app = `${project}-app`;
    expect(await running(app)).toBe('running');
    // A pass-through variable berth has no value for is left out, as Compose leaves it (F129).
    const appEnv = await engineEnv(app);
    expect(appEnv).toMatchObject({ PASS_SET: 'value-at-apply' });
    expect(appEnv).not.toHaveProperty('PASS_UNSET');
    expect(await docker('inspect', '-f', '{{.HostConfig.RestartPolicy.Name}}', app)).toBe(
      'unless-stopped',
    );
    // The old container_name still resolves inside the project.
    expect(
      await docker(
        'exec',
        `${project}-probe`,
        'sh',
        '-c',
        `ping -c1 -W2 ${project}-app-main >/dev/null && echo ok`,
      ),
    ).toBe('ok');
    expect(
      await docker('inspect', '-f', '{{.State.Status}} {{.State.ExitCode}}', `${project}-job`),
    ).toBe('exited 0');

    await docker('stop', '-t', '5', app);
    await docker('stop', '-t', '5', `${project}-probe`);
    expect(await running(app)).toBe('exited');
    const again = await berth(['apply', '-f', 'out', '--log-level', 'warn'], { cwd: dir, env });
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(await running(app)).toBe('running');
    expect(await running(`${project}-probe`)).toBe('running');
    expect(
      await docker('inspect', '-f', '{{.State.Status}} {{.State.ExitCode}}', `${project}-job`),
    ).toBe('exited 0');
  });
});
