import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { cleanupProject, docker, TEST_IMAGE, uniqueProject } from '../support/docker.js';

/**
 * F149: a Compose file brought in by `include` reads its variables from its own project's
 * `.env` (short form) or the `env_file` its include names (long form), as docker compose
 * does; imported and applied, the engine containers carry those values.
 */

const dir = mkdtempSync(join(tmpdir(), 'berth-include-env-'));
const project = uniqueProject('incenv');
const state = { XDG_STATE_HOME: join(dir, 'state') };
afterAll(async () => {
  await cleanupProject(project);
  rmSync(dir, { recursive: true, force: true });
});

const write = (name: string, text: string) => {
  mkdirSync(dirname(join(dir, name)), { recursive: true });
  writeFileSync(join(dir, name), text);
};
const service = (name: string, variable: string) =>
  `services:\n  ${name}:\n    image: ${TEST_IMAGE}\n    init: true\n    command: [sleep, "3600"]\n` +
  `    environment: {${variable}: "\${${variable}:-unset}"}\n`;
write(
  'compose.yaml',
  `include:\n  - sub/compose.yaml\n  - path: other/compose.yaml\n    env_file: other/other.env\n` +
    service('web', 'MAINVAR'),
);
write('sub/compose.yaml', service('cache', 'SUBVAR'));
write('sub/.env', 'SUBVAR=from-sub-env\n');
write('other/compose.yaml', service('worker', 'OTHERVAR'));
write('other/other.env', 'OTHERVAR=from-include-envfile\n');

const configEnv = async (name: string) =>
  JSON.parse(
    await docker('inspect', '-f', '{{json .Config.Env}}', `${project}-${name}`),
  ) as string[];

describe('an included Compose file’s variables, imported and applied (F149)', () => {
  it('come from the included project’s .env and from the include’s env_file', async () => {
    const imported = await berth(['import', '-o', 'out', '-p', project], { cwd: dir, env: state });
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    const applied = await berth(['apply', '-f', join(dir, 'out')], { env: state });
    expect(applied.code, applied.stderr).toBe(0);
    expect(await configEnv('cache')).toContain('SUBVAR=from-sub-env');
    expect(await configEnv('worker')).toContain('OTHERVAR=from-include-envfile');
    expect(await configEnv('web')).toContain('MAINVAR=unset');
  });
});
