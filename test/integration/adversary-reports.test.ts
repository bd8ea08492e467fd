import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupProject, docker, uniqueProject } from '../support/docker.js';
import { sleeperYaml } from '../support/manifests.js';
import { berth } from './status-cli-support.js';

/**
 * Cases replayed from public bug reports, each against the real engine (issue 19:
 * "acceptance also replays further cases from public reports").
 */

const work = mkdtempSync(join(tmpdir(), 'berth-adv-reports-'));
const stateHome = join(work, 'state');
const project = uniqueProject('advrep');

afterAll(async () => {
  await cleanupProject(project);
  rmSync(work, { recursive: true, force: true });
});

describe('env files read as Compose reads them', () => {
  // Env-file parsers that cut `abc#def` to `abc` (a password, a URL fragment) silently;
  // Compose starts a comment only at a `#` after whitespace (docker/compose 1.29 here,
  // compose-go alike). berth read both envFiles and .env with dotenv, which cut it.
  it('keeps a # that follows no whitespace, in envFiles and in .env interpolation', async () => {
    writeFileSync(
      join(work, 'app.env'),
      'PASSWORD=abc#def\nURL=http://h/p#frag\nNOTE=value # a comment\nLEAD=  #kept\nQUOTED="a # b"\n',
    );
    writeFileSync(join(work, '.env'), 'SECRET_PW=pa#ss # comment\n');
    writeFileSync(
      join(work, 'c.yaml'),
      sleeperYaml(
        'envc',
        '  state: created\n  envFiles: [./app.env]\n  env: {FROM_DOTENV: "${SECRET_PW}"}\n',
      ),
    );
    const applied = await berth(stateHome, work, 'apply', '-f', work, '-p', project);
    expect(applied.code, applied.stderr).toBe(0);
    const env = JSON.parse(
      await docker('inspect', '-f', '{{json .Config.Env}}', `${project}-envc`),
    ) as string[];
    expect(env).toEqual(
      expect.arrayContaining([
        'PASSWORD=abc#def',
        'URL=http://h/p#frag',
        'NOTE=value',
        'LEAD=#kept',
        'QUOTED=a # b',
        'FROM_DOTENV=pa#ss',
      ]),
    );
  });
});
