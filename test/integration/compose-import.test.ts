import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { cleanupProject, docker, uniqueProject } from '../support/docker.js';

// Issue 13: an app imported with `berth import` and applied with `berth apply` behaves like
// `docker-compose up -d` of the original: the same names resolve, the same environment, the
// same mounts. Both run side by side on the real engine from the same Compose folder.
const execFileAsync = promisify(execFile);
const fixtures = resolve(import.meta.dirname, '../compose');
const cleanups: (() => Promise<unknown>)[] = [];

// Each app goes as soon as its test ends: the engine's address pools are shared by everyone.
afterEach(async () => {
  for (const clean of cleanups.splice(0).reverse()) await clean().catch(() => undefined);
});

async function compose(dir: string, project: string, env: NodeJS.ProcessEnv, ...args: string[]) {
  const { stdout } = await execFileAsync('docker-compose', ['-p', project, ...args], {
    cwd: dir,
    env: { ...process.env, ...env },
  });
  return stdout;
}

/** Copies a fixture app, brings it up with docker-compose and with berth; returns both projects. */
async function bothUp(app: string, env: (project: string) => NodeJS.ProcessEnv) {
  const dir = mkdtempSync(join(tmpdir(), `berth-import-${app}-`));
  cpSync(join(fixtures, app), dir, { recursive: true });
  const c = uniqueProject('cmp');
  const b = uniqueProject('imp');
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
  cleanups.push(() => compose(dir, c, env(c), 'down', '-v', '--rmi', 'local', '-t', '0'));
  cleanups.push(() => cleanupProject(b));
  await compose(dir, c, env(c), 'up', '-d');
  const imported = await berth(['import', '-o', 'berth'], { cwd: dir });
  expect(imported.code, imported.stderr).toBe(0);
  expect(imported.stderr).not.toContain('not supported');
  const applied = await berth(['apply', '-f', 'berth', '-p', b, '--log-level', 'warn'], {
    cwd: dir,
    env: env(b),
  });
  expect(applied.code, applied.stderr + applied.stdout).toBe(0);
  return { c, b, imported };
}

const probe = (names: string[], paths: string[]) =>
  [
    'env | grep -E "^(ROLE|SHARED|GREETING|API_MODE)=" | sort',
    'pwd',
    ...paths.map((p) => `echo "${p}: $(cat ${p} 2>&1)"`),
    ...names.map(
      (n) =>
        `ping -c1 -W2 ${n} >/dev/null 2>&1 && echo "${n} resolves" || echo "${n} does not resolve"`,
    ),
  ].join('; ');

const run = (container: string, script: string) => docker('exec', container, 'sh', '-c', script);

describe('berth import side by side with docker-compose', () => {
  it('app-busybox: variables from .env, env lists, a bind mount, a shared named volume, healthy dependency, container_name, a secret', async () => {
    const { c, b, imported } = await bothUp('app-busybox', (p) => ({ CACHE_NAME: `${p}-cache` }));
    // Compose's container_name becomes an alias; the engine name is berth's, and import says so.
    expect(imported.stderr).toContain(
      'compose.yaml:15:5: warning: services.cache_svc.container_name: berth names the engine container',
    );
    const script = (p: string) =>
      probe(
        ['db', 'cache_svc', `${p}-cache`, 'web'],
        ['/site/index.html', '/shared/marker'],
      ).replaceAll(`${p}-cache`, '$CACHE');
    const viaCompose = await docker(
      'exec',
      '-e',
      `CACHE=${c}-cache`,
      `${c}_web_1`,
      'sh',
      '-c',
      script(c),
    );
    const viaBerth = await docker(
      'exec',
      '-e',
      `CACHE=${b}-cache`,
      `${b}-web`,
      'sh',
      '-c',
      script(b),
    );
    expect(viaBerth.replaceAll(`${b}-cache`, 'CACHE')).toBe(
      viaCompose.replaceAll(`${c}-cache`, 'CACHE'),
    );
    expect(viaBerth).toContain(`${b}-cache resolves`);
    expect(viaBerth).toContain('GREETING=hello-from-dotenv');
    expect(viaBerth).toContain('/shared/marker: db-ready');
    expect(viaBerth).not.toContain('does not resolve');
    // A secret reads as in Compose for a user other than root (F25: berth's 0600 root refused it).
    const secretAs1000 = (name: string) =>
      docker('exec', '-u', '1000:1000', name, 'cat', '/run/secrets/token');
    expect(await secretAs1000(`${c}_web_1`)).toBe('token-for-web');
    expect(await secretAs1000(`${b}-web`)).toBe('token-for-web');
  });

  it('app-networks: a built image, two networks with an alias, an internal network, entrypoint and command, tmpfs', async () => {
    const { c, b } = await bothUp('app-networks', () => ({}));
    const apiScript =
      probe(['proxy', 'store', 'backend-api'], ['/built']) +
      '; mount | grep -c " /scratch " || true';
    expect(await run(`${b}-api`, apiScript)).toBe(await run(`${c}_api_1`, apiScript));
    const proxyScript = probe(['api', 'backend-api', 'store'], []);
    const viaBerth = await run(`${b}-proxy`, proxyScript);
    expect(viaBerth).toBe(await run(`${c}_proxy_1`, proxyScript));
    expect(viaBerth).toContain('store does not resolve');
    const storeScript =
      'mount | grep " /scratch " | cut -d" " -f1,3,5; cat /proc/1/cmdline | tr "\\0" " "';
    expect(await run(`${b}-store`, storeScript)).toBe(await run(`${c}_store_1`, storeScript));
  });

  /** `script` in each pair of containers (docker-compose's, berth's), project names as P. */
  async function sameInBoth(pairs: [string, string][], c: string, b: string, script: string) {
    for (const [viaCompose, viaBerth] of pairs) {
      const composeSide = await docker('exec', '-e', `APP=${c}`, viaCompose, 'sh', '-c', script);
      const berthSide = await docker('exec', '-e', `APP=${b}`, viaBerth, 'sh', '-c', script);
      expect(berthSide.replaceAll(b, 'P'), viaBerth).toBe(composeSide.replaceAll(c, 'P'));
    }
  }

  /** Env (as a set), mounts and health check of a container as the engine keeps them. */
  async function engineView(name: string, project: string) {
    const inspected = JSON.parse(await docker('inspect', name))[0] as {
      Config: { Env: string[]; Healthcheck?: unknown };
      HostConfig: { RestartPolicy: unknown };
      Mounts: { Source: string; Destination: string; RW: boolean; Mode: string }[];
    };
    return JSON.parse(
      JSON.stringify({
        env: [...inspected.Config.Env].sort(),
        health: inspected.Config.Healthcheck,
        mounts: inspected.Mounts.map((m) => [m.Source, m.Destination, m.RW, m.Mode.includes('z')]),
      }).replaceAll(project, 'P'),
    ) as unknown;
  }

  const resolving = (names: string[]) =>
    probe(names, []).replace(/^env [^;]*; pwd; /, '') + '; hostname';

  it('app-vikunja (pi-hosted Portainer stack): hostnames, container_name from a variable, env from .env, a read-only file bind', async () => {
    const { c, b } = await bothUp('app-vikunja', (p) => ({ APP: p }));
    const services = ['mariadb', 'api', 'frontend', 'proxy'];
    const pairs: [string, string][] = services.map((s) => [
      s === 'mariadb' ? `${c}_mariadb_1` : `${c}-${s}`,
      `${b}-${s}`,
    ]);
    const names = [...services, '$APP-api', '$APP-frontend', '$APP-proxy'];
    await sameInBoth(pairs, c, b, resolving(names));
    await sameInBoth(pairs, c, b, 'cat /etc/nginx/conf.d/default.conf /config/role 2>&1; true');
    for (const [viaCompose, viaBerth] of pairs)
      expect(await engineView(viaBerth, b)).toEqual(await engineView(viaCompose, c));
    const fromApi = await docker(
      'exec',
      '-e',
      `APP=${b}`,
      `${b}-api`,
      'sh',
      '-c',
      resolving(names),
    );
    expect(fromApi).not.toContain('does not resolve');
  });

  it('app-seafile (big-bear CasaOS app): depends_on healthy/started, an unset $AppID blank in a path, a :z bind, a string entrypoint', async () => {
    const { c, b } = await bothUp('app-seafile', (p) => ({ APP: p }));
    const services = ['seafile', 'seafile-db', 'seafile-memcached'];
    const pairs: [string, string][] = services.map((s) => [`${c}-${s}`, `${b}-big-bear-${s}`]);
    const names = services.flatMap((s) => [`big-bear-${s}`, `$APP-${s}`]);
    await sameInBoth(pairs, c, b, resolving(names).replace('; hostname', ''));
    await sameInBoth(
      pairs,
      c,
      b,
      'cat /proc/1/cmdline | tr "\\0" " "; ls /shared /var/lib/mysql 2>&1; true',
    );
    for (const [viaCompose, viaBerth] of pairs)
      expect(await engineView(viaBerth, b)).toEqual(await engineView(viaCompose, c));
    // The relabelled bind reaches the engine in its bind syntax, as docker-compose sends it.
    expect(await engineView(`${b}-big-bear-seafile`, b)).toMatchObject({
      mounts: [[expect.stringMatching(/DATA\/AppData\/shared$/), '/shared', true, true]],
    });
  });
});
