import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ProjectStatus } from '../../controller/status/status-types.js';
import { berth } from '../support/cli.js';
import { sleeperYaml } from '../support/manifests.js';
import { cleanupProject, uniqueProject } from '../support/docker.js';

/**
 * F277: a health probe's output is the container's text. `status` and `describe` print it for
 * a human; the escape sequences in it must be shown (`\x1b`), not sent to the terminal, where
 * they would set the title, clear the screen or fake lines.
 */

const state = mkdtempSync(join(tmpdir(), 'berth-escapes-'));
const env = { XDG_STATE_HOME: state };
const project = uniqueProject('escapes');
afterAll(async () => {
  await cleanupProject(project);
  rmSync(state, { recursive: true, force: true });
});

const probe = String.raw`printf 'ok\033]0;pwned\007\033[2J'; exit 1`;
const yaml = sleeperYaml(
  'x',
  `  healthcheck: {command: [CMD-SHELL, ${JSON.stringify(probe)}], interval: 1s, retries: 1, restartOnUnhealthy: false}\n`,
);
// eslint-disable-next-line no-control-regex
const control = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a container whose health probe prints escape sequences', () => {
  it('status and describe show them escaped; -o json keeps the real text', async () => {
    const applied = await berth(['apply', '-f', '-', '-p', project], { env, stdin: yaml });
    expect([0, 2], applied.stdout + applied.stderr).toContain(applied.code);
    let json: ProjectStatus | undefined;
    for (let i = 0; i < 60; i++) {
      const r = await berth(['status', '-o', 'json', '-p', project], { env });
      json = JSON.parse(r.stdout) as ProjectStatus;
      if (json.objects.find((o) => o.name === 'x')?.reason?.includes('pwned')) break;
      await sleep(500);
    }
    expect(json?.objects.find((o) => o.name === 'x')?.reason).toContain('ok\x1b]0;pwned\x07');
    const shown = String.raw`ok\x1b]0;pwned\x07\x1b[2J`;
    for (const args of [['status', '-o', 'wide'], ['status'], ['describe', 'container/x']]) {
      const r = await berth([...args, '-p', project], { env });
      expect(r.stdout, args.join(' ')).not.toMatch(control);
      expect(r.stdout, args.join(' ')).toContain(shown);
    }
  }, 90_000);
});
