import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { berth } from '../support/cli.js';
import { cleanupProject, docker, uniqueProject } from '../support/docker.js';
import { sleeperYaml } from '../support/manifests.js';

// down, restart, global flags before the verb, -f defaulting to the current folder, help
// examples and completion scripts, on the real engine (issue 13).
const project = uniqueProject('verbs');
const dir = mkdtempSync(join(tmpdir(), 'berth-verbs-'));
const stateDir = mkdtempSync(join(tmpdir(), 'berth-verbs-state-'));
const env = { XDG_STATE_HOME: stateDir };
const run = (args: string[]) => berth(args, { cwd: dir, env });

const volumeYaml = `apiVersion: berth/v1
kind: Volume
metadata: {name: data}
spec: {}
`;

beforeAll(() => {
  writeFileSync(
    join(dir, 'web.yaml'),
    sleeperYaml('web', '  mounts: [{volume: data, target: /data}]\n'),
  );
  writeFileSync(join(dir, 'worker.yaml'), sleeperYaml('worker'));
  writeFileSync(join(dir, 'data.yaml'), volumeYaml);
});

afterAll(async () => {
  await cleanupProject(project);
  await docker('volume', 'rm', `${project}-data`).catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
  rmSync(stateDir, { recursive: true, force: true });
});

const startedAt = (name: string) =>
  docker('inspect', '-f', '{{.State.StartedAt}}', `${project}-${name}`);

describe('verbs on the real engine', () => {
  it('validate, plan and apply read the current folder without -f; -p works before the verb', async () => {
    expect((await run(['validate'])).stdout).toMatch(/^valid: \d+ objects in 3 files/);
    const plan = await run(['-p', project, 'plan']);
    expect(plan.stdout).toContain('Container/web');
    const apply = await run(['-p', project, '--log-level', 'warn', 'apply']);
    expect(apply.code, apply.stderr).toBe(0);
    expect(await docker('inspect', '-f', '{{.State.Running}}', `${project}-web`)).toBe('true');
  });

  it('validate, plan and apply print YAML with -o yaml, the same fields as -o json', async () => {
    const valid = await run(['validate', '-o', 'yaml']);
    expect(valid.code, valid.stderr).toBe(0);
    expect(parse(valid.stdout)).toEqual([]);
    const planJson: unknown = JSON.parse((await run(['-p', project, 'plan', '-o', 'json'])).stdout);
    const planYaml: unknown = parse((await run(['-p', project, 'plan', '-o', 'yaml'])).stdout);
    expect(planYaml).toEqual(planJson);
    const apply = await run(['-p', project, '--log-level', 'warn', 'apply', '-o', 'yaml']);
    expect(apply.code, apply.stderr).toBe(0);
    expect(parse(apply.stdout)).toMatchObject({ project, ok: true });
  });

  it('get and describe take KIND NAME as kubectl does, like KIND/NAME (new-user trial F28)', async () => {
    const slashed = await run(['get', 'container/web', '-p', project, '-o', 'json']);
    const spaced = await run(['get', 'container', 'web', '-p', project, '-o', 'json']);
    expect(spaced.code, spaced.stderr).toBe(0);
    expect(JSON.parse(spaced.stdout)).toMatchObject({ name: 'web', kind: 'Container' });
    expect(Object.keys(JSON.parse(spaced.stdout) as object)).toEqual(
      Object.keys(JSON.parse(slashed.stdout) as object),
    );
    const described = await run(['describe', 'ctr', 'web', '-p', project]);
    expect(described.code, described.stderr).toBe(0);
    expect(described.stdout).toMatch(/^Name: +web\nKind: +Container\n/);
    const both = await run(['get', 'container/web', 'web', '-p', project]);
    expect(both.code).toBe(1);
    expect(both.stderr).toContain('give KIND/NAME or KIND NAME, not both');
  });

  it('restart restarts only the named container and records it in history', async () => {
    const webBefore = await startedAt('web');
    const workerBefore = await startedAt('worker');
    const restart = await run(['restart', 'web', '-p', project]);
    expect(restart.code, restart.stderr).toBe(0);
    expect(restart.stdout).toContain('Container/web: restarted');
    expect(await startedAt('web')).not.toBe(webBefore);
    expect(await startedAt('worker')).toBe(workerBefore);
    const history = JSON.parse((await run(['history', '-p', project, '-o', 'json'])).stdout) as {
      message?: string;
      counts: { changed: number };
    }[];
    expect(history[0]).toMatchObject({ message: 'restart web', counts: { changed: 1 } });
    expect((await run(['restart', 'nope', '-p', project])).code).toBe(1);
  });

  it('run makes a one-off container from the declared spec and exits with its code', async () => {
    const once = await run([
      'run',
      '-p',
      project,
      '--rm',
      '-e',
      'EXTRA=x1',
      '--entrypoint',
      'sh',
      'web',
      '--',
      '-c',
      'echo "extra=$EXTRA"; ls -d /data; exit 7',
    ]);
    expect(once.code, once.stderr).toBe(7);
    expect(once.stdout).toBe('extra=x1\n/data\n');
    expect(
      await docker(
        'ps',
        '-aq',
        '--filter',
        'label=berth.oneoff=true',
        '--filter',
        `label=berth.project=${project}`,
      ),
    ).toBe('');
    const kept = await run(['run', '-p', project, '--entrypoint', 'true', 'web']);
    expect(kept.code).toBe(0);
    const names = await docker(
      'ps',
      '-a',
      '--format',
      '{{.Names}}',
      '--filter',
      `label=berth.run-of=web`,
      '--filter',
      `label=berth.project=${project}`,
    );
    expect(names).toMatch(new RegExp(`^${project}-web-run-[0-9a-f]{6}$`));
    await docker('rm', names);
    expect((await run(['run', '-p', project, 'nope'])).code).toBe(1);
  });

  it('diff prints the changed fields old → new and exits 2; 0 when nothing changes', async () => {
    expect((await run(['diff', '-p', project])).code).toBe(0);
    const web = join(dir, 'web.yaml');
    const original = readFileSync(web, 'utf8');
    writeFileSync(web, original + '  env: {MODE: b}\n');
    const diff = await run(['diff', '-p', project]);
    writeFileSync(web, original);
    expect(diff.code, diff.stderr).toBe(2);
    expect(diff.stdout).toContain('Container/web:\n  spec.env.MODE: (none) → "b"');
  });

  it('down deletes the last applied set and keeps volumes; --volumes removes them', async () => {
    const down = await run(['-p', project, '--log-level', 'warn', 'down']);
    expect(down.code, down.stderr).toBe(0);
    // F858: the kept volume is named, with the way to remove it.
    expect(down.stdout).toContain(
      `Volume/data: kept with its data; berth down -p ${project} --volumes removes it\n`,
    );
    expect(await docker('ps', '-aq', '--filter', `label=berth.project=${project}`)).toBe('');
    expect(await docker('volume', 'ls', '-q', '--filter', `name=${project}-data`)).toBe(
      `${project}-data`,
    );
    const purge = await run(['down', '--volumes', '-p', project, '--log-level', 'warn']);
    expect(purge.stdout).toContain('Volume/data: removed with its data');
    expect(purge.stdout).not.toContain('kept');
    expect(await docker('volume', 'ls', '-q', '--filter', `name=${project}-data`)).toBe('');
  });
});

describe('help and completion', () => {
  it('every verb’s help ends with examples', async () => {
    for (const verb of ['apply', 'import', 'down', 'restart', 'completion', 'logs']) {
      const help = await run([verb, '--help']);
      expect(help.stdout, verb).toMatch(/Examples:\n {2}berth /);
    }
  });

  it('prints a bash completion script bash accepts, completing verbs after global flags', async () => {
    const script = (await run(['completion', 'bash'])).stdout;
    const file = join(dir, 'berth.bash');
    writeFileSync(file, script);
    const out = execFileSync('bash', [
      '-c',
      `source ${file}; COMP_WORDS=(berth -p x dow); COMP_CWORD=3; _berth; echo "\${COMPREPLY[@]}"`,
    ]).toString();
    expect(out.trim()).toBe('down');
    expect((await run(['completion', 'fish'])).stdout).toContain('complete -c berth');
    expect((await run(['completion', 'zsh'])).stdout).toContain('#compdef berth');
    expect((await run(['completion', 'tcsh'])).code).toBe(1);
  });
});
