import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { TEST_IMAGE, cleanupProject, docker, uniqueProject } from '../support/docker.js';

/**
 * F87: `${VAR}` in a `.env` value is expanded, as Compose does, and so are a container's
 * env files (Compose v2 `env_file`). The same folder runs under docker-compose (1.29) and
 * under berth (import, then apply); the values both expand the same way are compared.
 * docker-compose 1.29 differs from Compose v2 (which berth follows) in two places, checked
 * against Compose v2's documented behaviour instead: it expands single-quoted values, and
 * it expands env_file values from the shell only (not from `.env`).
 */
const execFileAsync = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'berth-envfile-'));
const viaCompose = uniqueProject('efc');
const viaBerth = uniqueProject('efb');
const cleanEnv = { INLINE: undefined, REF: undefined, LIT: undefined, DQ: undefined };

afterAll(async () => {
  await compose('down', '-t', '0').catch(() => undefined);
  await cleanupProject(viaBerth);
  rmSync(dir, { recursive: true, force: true });
});

async function compose(...args: string[]): Promise<string> {
  const env = { ...process.env, ...cleanEnv };
  const run = await execFileAsync('docker-compose', ['-p', viaCompose, ...args], { cwd: dir, env });
  return run.stdout;
}

const probe = 'echo "REF=$REF DQ=$DQ LIT=$LIT FROM_FILE=$FROM_FILE"';

describe('.env values interpolate ${VAR} (F87)', () => {
  it('gives the container value-ref from REF=${INLINE}-ref, as docker-compose does', async () => {
    writeFileSync(
      join(dir, '.env'),
      'INLINE=value # a comment\nREF=${INLINE}-ref\nLIT=\'${INLINE}\'\nDQ="${REF}-dq"\n',
    );
    writeFileSync(join(dir, 'app.env'), 'FROM_FILE=${INLINE}-file\n');
    writeFileSync(
      join(dir, 'compose.yaml'),
      `services:\n  e:\n    image: ${TEST_IMAGE}\n    command: sleep 3600\n` +
        '    environment: {REF: "${REF}", LIT: "${LIT}", DQ: "${DQ}"}\n    env_file: [app.env]\n',
    );
    await compose('up', '-d');
    const composed = await docker('exec', `${viaCompose}_e_1`, 'sh', '-c', probe);
    expect(composed).toMatch(/^REF=value-ref DQ=value-ref-dq /);

    const imported = await berth(['import', '-o', 'berth', '-p', viaBerth], {
      cwd: dir,
      env: cleanEnv,
    });
    expect(imported.code, imported.stderr).toBe(0);
    const applied = await berth(['apply', '-f', 'berth'], { cwd: dir, env: cleanEnv });
    expect(applied.code, applied.stderr + applied.stdout).toBe(0);
    const got = await docker('exec', `${viaBerth}-e`, 'sh', '-c', probe);
    expect(got).toBe('REF=value-ref DQ=value-ref-dq LIT=${INLINE} FROM_FILE=value-file');
    expect(got.slice(0, got.indexOf(' LIT='))).toBe(composed.slice(0, composed.indexOf(' LIT=')));
  });

  it('leaves an unset ${VAR} in an env_file blank with a warning at its place, as docker-compose does (F188)', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'berth-envfile-blank-'));
    const composed = uniqueProject('efbc');
    const project = uniqueProject('efbb');
    const env = { ...process.env, DB_USER: undefined };
    try {
      writeFileSync(join(folder, 'app.env'), 'A=1\nEXPANDED=${DB_USER}-x\n');
      writeFileSync(
        join(folder, 'compose.yaml'),
        `services:\n  e:\n    image: ${TEST_IMAGE}\n    command: sleep 3600\n    env_file: [app.env]\n`,
      );
      await execFileAsync('docker-compose', ['-p', composed, 'up', '-d'], { cwd: folder, env });
      const probeExpanded = 'echo "EXPANDED=$EXPANDED"';
      const viaCompose = await docker('exec', `${composed}_e_1`, 'sh', '-c', probeExpanded);
      expect(viaCompose).toBe('EXPANDED=-x');

      const imported = await berth(['import', '-o', 'berth', '-p', project], { cwd: folder, env });
      expect(imported.code, imported.stderr).toBe(0);
      const applied = await berth(['apply', '-f', 'berth'], { cwd: folder, env });
      expect(applied.code, applied.stderr + applied.stdout).toBe(0);
      expect(applied.stderr).toMatch(
        /^berth\/e\.yaml:\d+:\d+: warning: Container "e": spec\.envFiles\[0\] \S*app\.env:2:10: variable DB_USER is not set \(in the value of EXPANDED\): it is left blank/m,
      );
      expect(await docker('exec', `${project}-e`, 'sh', '-c', probeExpanded)).toBe(viaCompose);
    } finally {
      await execFileAsync('docker-compose', ['-p', composed, 'down', '-t', '0'], {
        cwd: folder,
        env,
      }).catch(() => undefined);
      await cleanupProject(project);
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('refuses an unset variable in .env at its line and column, applying nothing', async () => {
    const project = uniqueProject('efu');
    const folder = mkdtempSync(join(tmpdir(), 'berth-envfile-unset-'));
    try {
      writeFileSync(join(folder, '.env'), 'A=1\nURL=pg://${DB_USER}@db\n');
      writeFileSync(
        join(folder, 'app.yaml'),
        `apiVersion: berth/v1\nkind: Container\nmetadata: {name: app}\nspec:\n  image: ${TEST_IMAGE}\n  env: {URL: "\${URL}"}\n`,
      );
      const out = await berth(['apply', '-f', '.', '-p', project], {
        cwd: folder,
        env: { DB_USER: undefined },
      });
      expect(out.stderr).toMatch(
        /^\.env:2:10: variable DB_USER is not set \(in the value of URL\).* \[E_UNSET_VAR\]$/m,
      );
      expect(out.code).not.toBe(0);
      expect(await docker('ps', '-a', '-q', '--filter', `label=berth.project=${project}`)).toBe('');
    } finally {
      await cleanupProject(project);
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
