import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importValidateApply } from '../support/cli.js';
import { TEST_IMAGE, cleanupProject, docker, uniqueProject } from '../support/docker.js';

/**
 * F783: a project `.env` value naming a variable nobody sets (Laravel's
 * `MAIL_FROM_NAME="${APP_NAME}"` without an APP_NAME line) is blank under docker compose
 * (compose-go dotenv, with a warning). Import writes it `${…:-}` in the output's `.env`, so
 * validate and apply run the project, and the container gets the blank Compose gives it.
 */

const work = mkdtempSync(join(tmpdir(), 'berth-import-dotenv-blank-'));
const env = { XDG_STATE_HOME: join(work, 'state') };
const project = uniqueProject('impdotenv');
afterAll(async () => {
  await cleanupProject(project);
  rmSync(work, { recursive: true, force: true });
});

describe('import of a project .env naming an unset variable', () => {
  it('applies with the blank docker compose substitutes', async () => {
    const cwd = join(work, 'app');
    mkdirSync(cwd);
    writeFileSync(
      join(cwd, 'compose.yaml'),
      `services:\n  app:\n    image: ${TEST_IMAGE}\n    init: true\n    command: sleep 300\n` +
        '    environment: {FROM: "${MAIL_FROM_NAME}"}\n',
    );
    writeFileSync(join(cwd, '.env'), 'MAIL_FROM_NAME="${BERTH_F783_UNSET} mailer"\n');
    const { imported } = await importValidateApply(cwd, project, env);
    expect(imported.stderr).toContain(
      '.env:1:17: warning: The "BERTH_F783_UNSET" variable is not set. Defaulting to a blank string.',
    );
    const got = await docker('inspect', '-f', '{{json .Config.Env}}', `${project}-app`);
    expect(JSON.parse(got) as string[]).toContain('FROM= mailer');
  });
});
