import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { loadManifests } from '../index.js';
import { ComposeInputError, importCompose } from './index.js';
import { policyFor } from '../policy.js';
import { dotEnvWithProject } from './dot-env.js';
import { tempDir } from '../../test/support/temp-dir.js';

// Issue 13: where an import used to differ from `docker compose up` without a word.

function importText(
  lines: string[],
  options: {
    env?: Record<string, string>;
    dotenv?: string;
    project?: string;
    privileged?: boolean;
  } = {},
) {
  const dir = tempDir('berth-import-');
  writeFileSync(join(dir, 'compose.yaml'), [...lines, ''].join('\n'));
  if (options.dotenv !== undefined) writeFileSync(join(dir, '.env'), options.dotenv);
  return importCompose({
    files: ['compose.yaml'],
    cwd: dir,
    outDir: join(dir, 'out'),
    profiles: [],
    env: options.env ?? {},
    ...(options.project && { projectName: options.project }),
    ...(options.privileged && { policy: { policy: policyFor('privileged'), name: 'privileged' } }),
  });
}

type Result = ReturnType<typeof importCompose>;

function container(result: Result, name: string) {
  const docs = [...result.manifests.values()].flatMap((text) =>
    parseAllDocuments(text).map(
      (d) =>
        d.toJS() as { kind: string; metadata: { name: string }; spec: Record<string, unknown> },
    ),
  );
  return docs.find((o) => o.kind === 'Container' && o.metadata.name === name)?.spec;
}

const warnings = (r: Result) =>
  r.warnings.map((w) => `${w.where.line}:${w.where.column} ${w.message}`);

function refusal(lines: string[]): string[] {
  try {
    importText(lines);
  } catch (e) {
    if (!(e instanceof ComposeInputError)) throw e;
    return e.problems.map((p) => `${p.where.line}:${p.where.column}: ${p.message} [${p.code}]`);
  }
  throw new Error('not refused');
}

describe('berth import: unset variables warn as docker compose does', () => {
  it('once per variable, at its first use, only where Compose evaluates it; the result is still written', () => {
    const r = importText(
      [
        'services:',
        '  web:',
        '    image: busybox:${TAG}',
        '    environment:',
        '      A: "${MISSING}"',
        '      B: "$MISSING and $$LITERAL"',
        '      C: "${IN_DOTENV} ${IN_ENV} ${WITH_DEFAULT:-x} ${EMPTY_OK-}"',
        '      D: "${OUTER:-${INNER}}"',
        '      E: "${IN_ENV:-${NOT_NEEDED}}"',
        '    labels: ["${MISSING}=x"]',
        '    command: ["echo", "$LATE"]',
      ],
      { env: { IN_ENV: '1' }, dotenv: 'IN_DOTENV=1\n' },
    );
    expect(
      r.warnings.map((w) => `${w.where.file}:${w.where.line}:${w.where.column}: ${w.message}`),
    ).toEqual([
      'compose.yaml:3:5: The "TAG" variable is not set. Defaulting to a blank string.',
      'compose.yaml:5:7: The "MISSING" variable is not set. Defaulting to a blank string.',
      'compose.yaml:8:7: The "INNER" variable is not set. Defaulting to a blank string.',
      'compose.yaml:11:23: The "LATE" variable is not set. Defaulting to a blank string.',
    ]);
    expect(container(r, 'web')).toMatchObject({ image: 'busybox:${TAG:-}' });
    expect(r.losses).toEqual([]);
  });
});

describe('berth import: required variables (`${VAR:?reason}`) that are missing', () => {
  it('are named as docker compose names them, the template kept as written', () => {
    const r = importText(
      [
        'services:',
        '  web:',
        '    image: busybox',
        '    environment:',
        '      A: "${TOKEN:?set a token}"',
        '      B: "${EMPTY:?}"',
        '      C: "${EMPTY?}"',
        '      D: "${IN_ENV:?not asked}"',
        '      E: "${TOKEN:?again}"',
      ],
      { env: { IN_ENV: '1', EMPTY: '' } },
    );
    expect(
      r.warnings.map((w) => `${w.where.file}:${w.where.line}:${w.where.column}: ${w.message}`),
    ).toEqual([
      'compose.yaml:5:7: required variable TOKEN is missing a value: set a token (docker compose ' +
        'refuses the project until it is set; so do berth validate and apply: set it in the ' +
        "environment or in the output's .env)",
      'compose.yaml:6:7: required variable EMPTY is missing a value (docker compose refuses the ' +
        'project until it is set; so do berth validate and apply: set it in the environment or ' +
        "in the output's .env)",
    ]);
    expect(container(r, 'web')?.env).toMatchObject({ A: '${TOKEN:?set a token}' });
    expect(r.losses).toEqual([]);
  });
});

describe('berth import: environment passed through (`environment: [NAME]`)', () => {
  it('becomes a value-less NAME: passed through at apply, never the importing shell’s value (F129)', () => {
    const r = importText(
      [
        'services:',
        '  web:',
        '    image: busybox',
        '    environment: [TOKEN, "MODE=prod"]',
        '  db:',
        '    image: busybox',
        '    environment: {TOKEN: }',
      ],
      { env: { TOKEN: 'shell-secret-value' } },
    );
    expect(container(r, 'web')?.env).toEqual({ TOKEN: null, MODE: 'prod' });
    expect(container(r, 'db')?.env).toEqual({ TOKEN: null });
    const text = [...r.manifests.values()].join('\n');
    expect(text).not.toContain('shell-secret-value');
    expect(r.manifests.get('web.yaml')).toContain(
      "# services.web.environment: TOKEN taken at apply from berth's environment or .env",
    );
    expect(r.manifests.get('web.yaml')).toContain('and left out when unset there');
    expect(r.warnings).toEqual([]);
    expect(r.losses).toEqual([]);
  });
});

describe('berth import: fixed addresses need a subnet (the engine refuses them otherwise)', () => {
  it('refuses ipv4_address/ipv6_address on a network without a subnet of that family, at the field', () => {
    expect(
      refusal([
        'services:',
        '  a:',
        '    image: busybox',
        '    networks:',
        '      plain: {ipv4_address: 10.5.0.5}',
        '      v4only: {ipv4_address: 10.6.0.5, ipv6_address: "fd00::5"}',
        '      default: {ipv4_address: 10.7.0.5}',
        'networks:',
        '  plain: {}',
        '  v4only: {ipam: {config: [{subnet: 10.6.0.0/24}]}}',
      ]),
    ).toEqual([
      '5:15: service "a" sets ipv4_address 10.5.0.5 on network plain, whose ipam declares no IPv4 subnet: user specified IP address is supported only when connecting to networks with user configured subnets (add ipam.config: [{subnet: …}] to networks.plain) [E_ADDRESS]',
      '6:40: service "a" sets ipv6_address fd00::5 on network v4only, whose ipam declares no IPv6 subnet: user specified IP address is supported only when connecting to networks with user configured subnets (add ipam.config: [{subnet: …}] to networks.v4only) [E_ADDRESS]',
      '7:17: service "a" sets ipv4_address 10.7.0.5 on network default, whose ipam declares no IPv4 subnet: user specified IP address is supported only when connecting to networks with user configured subnets (add ipam.config: [{subnet: …}] to networks.default) [E_ADDRESS]',
    ]);
  });
  it('takes a declared subnet, a variable, and an external network (its subnet is the engine’s to check)', () => {
    const r = importText([
      'services:',
      '  a:',
      '    image: busybox',
      '    networks:',
      '      lan: {ipv4_address: 10.6.0.5}',
      '      outside: {ipv4_address: 192.168.1.5}',
      '      var: {ipv4_address: "${IP}"}',
      'networks:',
      '  lan: {ipam: {config: [{subnet: 10.6.0.0/24}]}}',
      '  outside: {external: true}',
      '  var: {}',
    ]);
    expect(container(r, 'a')?.networks).toEqual([
      { network: 'lan', ipv4Address: '10.6.0.5' },
      { network: 'outside', ipv4Address: '192.168.1.5' },
      { network: 'var', ipv4Address: '${IP:-}' },
    ]);
  });
});

describe('berth import: container_name', () => {
  it('warns with the engine name it becomes (not a loss: the old name stays an alias)', () => {
    const r = importText(
      ['services:', '  queue:', '    image: busybox', '    container_name: adv-big-queue-main'],
      { project: 'adv-big' },
    );
    expect(r.losses).toEqual([]);
    expect(warnings(r)).toEqual([
      '4:5 services.queue.container_name: berth names the engine container adv-big-queue (<project>-<name>; no berth field sets another name); adv-big-queue-main stays a network alias, so other services still reach it by that name; scripts that run `docker exec adv-big-queue-main` must use `docker exec adv-big-queue` or `berth exec queue`',
    ]);
    expect(container(r, 'queue')?.networks).toEqual([
      { network: 'default', aliases: ['adv-big-queue-main'] },
    ]);
  });
  it('says nothing when it is the name berth gives; with network_mode it says the alias is gone too', () => {
    const same = importText(
      ['services:', '  queue:', '    image: busybox', '    container_name: adv-big-queue'],
      { project: 'adv-big' },
    );
    expect(same.warnings).toEqual([]);
    expect(container(same, 'queue')?.networks).toBeUndefined();
    const host = importText(
      [
        'services:',
        '  q:',
        '    image: busybox',
        '    network_mode: host',
        '    container_name: qq',
      ],
      { project: 'p', privileged: true },
    );
    expect(host.losses).toEqual([]);
    expect(warnings(host)).toEqual([
      '5:5 services.q.container_name: berth names the engine container p-q (<project>-<name>; no berth field sets another name); with network_mode it cannot be a network alias either; scripts that run `docker exec qq` must use `docker exec p-q` or `berth exec q`',
    ]);
  });
});

describe('berth import: a name holding a variable (F132)', () => {
  it('resolves it from the environment, then .env, as Compose does', () => {
    const lines = ['name: ${PROJ:-adv-new}', 'services:', '  a: {image: busybox}'];
    expect(importText(lines).projectName).toBe('adv-new');
    expect(importText(lines, { dotenv: 'PROJ=from-dotenv\n' }).projectName).toBe('from-dotenv');
    expect(importText(lines, { env: { PROJ: 'shop' }, dotenv: 'PROJ=x\n' }).projectName).toBe(
      'shop',
    );
    // Resolved to a name that is not valid: refused as docker compose refuses it, never
    // rewritten to `shop` (F191).
    expect(() => importText(lines, { env: { PROJ: 'Shop' } })).toThrow(
      'name: invalid project name "Shop"',
    );
  });
});

describe('berth import: restart (F23b)', () => {
  const restarts = () =>
    importText([
      'services:',
      '  server:',
      '    image: busybox',
      '    depends_on: {migrate: {condition: service_completed_successfully}, seed: {condition: service_started}}',
      '  migrate:',
      '    image: busybox',
      '  seed:',
      '    image: busybox',
      '  once:',
      '    image: busybox',
      '    restart: "no"',
      '  swarm:',
      '    image: busybox',
      '    deploy: {restart_policy: {condition: on-failure}}',
    ]);
  it('without restart: Always (up starts it again), unless a service waits for it to complete', () => {
    const r = restarts();
    expect(container(r, 'server')?.restartPolicy).toBe('Always');
    expect(container(r, 'seed')?.restartPolicy).toBe('Always');
    expect(container(r, 'migrate')?.restartPolicy).toBe('Never');
    expect(r.manifests.get('server.yaml')).toContain(
      '# restartPolicy Always: the service sets no restart, and docker compose up starts it again whenever it is not running',
    );
    expect(r.manifests.get('migrate.yaml')).toContain(
      '# restartPolicy Never: the service sets no restart, and services.server waits for it with service_completed_successfully',
    );
  });
  it('restart "no" written out stays Never, saying why; deploy.restart_policy is its own', () => {
    const r = restarts();
    expect(container(r, 'once')?.restartPolicy).toBe('Never');
    expect(r.manifests.get('once.yaml')).toContain(
      '# restartPolicy Never: restart "no" keeps it exited',
    );
    expect(container(r, 'swarm')?.restartPolicy).toBe('OnFailure');
  });
});

describe('berth import: the project name travels with the output', () => {
  it('writes COMPOSE_PROJECT_NAME into the .env beside the manifests (name:, .env, -p)', async () => {
    const named = importText(['name: adv-big', 'services:', '  web:', '    image: busybox']);
    expect(named.dotEnv.text).toMatch(/^# .*\nCOMPOSE_PROJECT_NAME=adv-big\n$/);
    const kept = importText(['services:', '  web: {image: busybox}'], {
      dotenv: 'A=1\nCOMPOSE_PROJECT_NAME=adv-big\n',
      project: 'adv-big',
    });
    expect(kept.dotEnv.text).toBe('A=1\nCOMPOSE_PROJECT_NAME=adv-big\n');
    const out = tempDir('berth-import-out-');
    for (const [name, text] of kept.manifests) writeFileSync(join(out, name), text);
    writeFileSync(join(out, '.env'), kept.dotEnv.text);
    expect((await loadManifests([out], { cwd: out })).problems).toEqual([]);
  });
  it('replaces another project name (-p wins), keeping every other line', () => {
    expect(dotEnvWithProject('A=1\nexport COMPOSE_PROJECT_NAME=old\nB=2\n', 'new')).toBe(
      'A=1\nB=2\n# The Compose project (written by berth import): berth apply -f this folder runs it\nCOMPOSE_PROJECT_NAME=new\n',
    );
  });
});
