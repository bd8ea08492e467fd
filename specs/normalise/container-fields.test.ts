import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadManifests } from '../index.js';
import type { ContainerObject } from '../model.js';
import { policyFor } from '../policy.js';

const dir = mkdtempSync(join(tmpdir(), 'berth-fields-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const NETWORK = `apiVersion: berth/v1
kind: Network
metadata: {name: net}
spec: {ipam: {subnet: 172.31.250.0/24}}
---
`;

async function container(spec: string, options = {}): Promise<ContainerObject> {
  const file = join(dir, `c${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(
    file,
    `${NETWORK}apiVersion: berth/v1\nkind: Container\nmetadata: {name: web}\nspec:\n  image: busybox:1\n${spec}`,
  );
  const result = await loadManifests([file], options);
  expect(result.problems).toEqual([]);
  const found = result.set.objects.find((o) => o.kind === 'Container');
  return found as ContainerObject;
}

describe('issue-12 container fields', () => {
  it('brings equivalent spellings to one form, so they hash alike', async () => {
    const a = await container(
      [
        '  extraHosts: {db.local: 127.0.0.1}',
        '  capAdd: [net_admin, CAP_NET_ADMIN]',
        '  stopSignal: INT',
        '  sysctls: {net.core.somaxconn: 1024}',
        '  ulimits: {nproc: 512}',
        '  expose: [9000, "9001/tcp"]',
        '  ports: ["127.0.0.1:8000-8001:80-81"]',
        '  mounts: [{tmpfs: /run, mode: 1770}]',
        '',
      ].join('\n'),
    );
    const b = await container(
      [
        '  extraHosts: ["db.local=127.0.0.1"]',
        '  capAdd: [CAP_NET_ADMIN]',
        '  stopSignal: SIGINT',
        '  sysctls: ["net.core.somaxconn=1024"]',
        '  ulimits: {nproc: {soft: 512, hard: 512}}',
        '  expose: ["9000-9001"]',
        '  ports: ["127.0.0.1:8000:80", "127.0.0.1:8001:81"]',
        '  mounts: [{tmpfs: /run, mode: "1770"}]',
        '',
      ].join('\n'),
    );
    expect(a.specHash).toBe(b.specHash);
    expect(a.spec).toMatchObject({
      extraHosts: ['db.local:127.0.0.1'],
      capAdd: ['CAP_NET_ADMIN'],
      stopSignal: 'SIGINT',
      sysctls: { 'net.core.somaxconn': '1024' },
      ulimits: { nproc: { soft: 512, hard: 512 } },
      expose: ['9000/tcp', '9001/tcp'],
      mounts: [{ type: 'tmpfs', target: '/run', mode: 0o1770 }],
    });
    expect(a.spec.ports.map((p) => `${p.hostPort}:${p.containerPort}`)).toEqual([
      '8000:80',
      '8001:81',
    ]);
  });

  it('reads healthcheck.startInterval (Compose start_interval) as milliseconds', async () => {
    const c = await container('  healthcheck: {command: [CMD, "true"], startInterval: 1500ms}\n');
    expect(c.spec.healthcheck).toMatchObject({ startIntervalMs: 1500 });
  });

  it("keeps a bind mount's SELinux relabel (Compose :z / :Z) and hashes it: a change recreates", async () => {
    const site =
      '---\napiVersion: berth/v1\nkind: BindMount\nmetadata: {name: site}\nspec: {hostPath: ./site}\n';
    const mount = (extra: string) => `  mounts: [{bindMount: site, target: /srv${extra}}]\n${site}`;
    const plain = await container(mount(''));
    const shared = await container(mount(', selinux: z'));
    const own = await container(mount(', selinux: Z'));
    expect(shared.spec.mounts[0]).toMatchObject({ type: 'bind', selinux: 'z' });
    expect(plain.spec.mounts[0]).not.toHaveProperty('selinux');
    expect(new Set([plain.specHash, shared.specHash, own.specHash]).size).toBe(3);
  });

  it('keeps the owner of a tmpfs (Compose tmpfs uid=/gid=) and hashes it', async () => {
    const plain = await container('  mounts: [{tmpfs: /run}]\n');
    const owned = await container('  mounts: [{tmpfs: /run, uid: 1000, gid: 0}]\n');
    expect(owned.spec.mounts[0]).toEqual({ type: 'tmpfs', target: '/run', uid: 1000, gid: 0 });
    expect(owned.specHash).not.toBe(plain.specHash);
  });

  it('leaves unset fields out, so a spec without them keeps its hash', async () => {
    const plain = await container('');
    const defaults = await container('  tty: false\n  readOnlyRootFilesystem: false\n  dns: []\n');
    expect(defaults.specHash).toBe(plain.specHash);
    expect(Object.keys(plain.spec)).not.toContain('tty');
  });

  it('merges env files under env and hashes their values, not their paths', async () => {
    writeFileSync(join(dir, 'one.env'), 'A=1\nB="two words"\n');
    writeFileSync(join(dir, 'two.env'), 'A=1\nB="two words"\n');
    const one = await container('  envFiles: [./one.env]\n  env: {C: "3"}\n');
    const moved = await container('  envFiles: [./two.env]\n  env: {C: "3"}\n');
    expect(one.spec.env).toEqual({ A: '1', B: 'two words', C: '3' });
    expect(moved.specHash).toBe(one.specHash);
    writeFileSync(join(dir, 'one.env'), 'A=2\nB="two words"\n');
    const changed = await container('  envFiles: [./one.env]\n  env: {C: "3"}\n');
    expect(changed.specHash).not.toBe(one.specHash);
    const overridden = await container('  envFiles: [./one.env]\n  env: {A: "9"}\n');
    expect(overridden.spec.env.A).toBe('9');
  });

  it('interpolates env file values as Compose env_file: variables, own env, earlier files', async () => {
    writeFileSync(join(dir, 'base.env'), "HOST=db\nLIT='${HOST}'\n");
    writeFileSync(
      join(dir, 'refs.env'),
      'URL=pg://${USER}@${HOST}/${NAME:-app}\nSELF=${C}-${TOKEN}\n',
    );
    const c = await container('  envFiles: [./base.env, ./refs.env]\n  env: {C: "3"}\n', {
      env: { USER: 'ann', TOKEN: 't' },
    });
    expect(c.spec.env).toMatchObject({ URL: 'pg://ann@db/app', SELF: '3-t', LIT: '${HOST}' });
  });

  it('leaves an unset ${VAR} of an env file blank, as Compose env_file does, warning at the file, line and column (F188)', async () => {
    writeFileSync(join(dir, 'bad.env'), 'A=1\nB=x-${NOPE}\n');
    const file = join(dir, 'bad.yaml');
    const manifest = 'apiVersion: berth/v1\nkind: Container\nmetadata: {name: web}\n';
    writeFileSync(file, `${manifest}spec:\n  image: busybox:1\n  envFiles: [./bad.env]\n`);
    const { problems, warnings, set } = await loadManifests([file], { env: {} });
    expect(problems).toEqual([]);
    expect(warnings).toEqual([
      expect.objectContaining({
        code: 'E_UNSET_VAR',
        line: 6,
        message: expect.stringContaining(
          `${join(dir, 'bad.env')}:2:5: variable NOPE is not set (in the value of B): it is left blank`,
        ),
      }),
    ]);
    const web = set.objects.find((o) => o.kind === 'Container');
    expect((web?.spec as { env: Record<string, string> }).env).toMatchObject({
      A: '1',
      B: 'x-',
    });
  });

  it('refuses an env file value whose ${VAR?message} is unset, naming the file, line and column', async () => {
    writeFileSync(join(dir, 'need.env'), 'A=1\nB=x-${NOPE?set NOPE}\n');
    const file = join(dir, 'need.yaml');
    const manifest = 'apiVersion: berth/v1\nkind: Container\nmetadata: {name: web}\n';
    writeFileSync(file, `${manifest}spec:\n  image: busybox:1\n  envFiles: [./need.env]\n`);
    const { problems } = await loadManifests([file], { env: {} });
    expect(problems).toEqual([
      expect.objectContaining({
        code: 'E_UNSET_VAR',
        line: 6,
        message: expect.stringContaining(
          `${join(dir, 'need.env')}:2:5: variable NOPE is not set: set NOPE`,
        ),
      }),
    ]);
  });

  it('joins a declared container by name and waits for it', async () => {
    const file = join(dir, 'joined.yaml');
    writeFileSync(
      file,
      `apiVersion: berth/v1
kind: Container
metadata: {name: db}
spec: {image: busybox:1}
---
apiVersion: berth/v1
kind: Container
metadata: {name: side}
spec: {image: busybox:1, networkMode: "container:db", ipc: "container:db"}
`,
    );
    const { problems, set } = await loadManifests([file]);
    expect(problems).toEqual([]);
    const side = set.objects.find((o) => o.name === 'side') as ContainerObject;
    expect(side.spec.dependsOn).toEqual([{ container: 'db', condition: 'started' }]);
  });

  it('publishes on a host port the engine picks when the host side is empty, also in mode bridge', async () => {
    const c = await container('  networkMode: bridge\n  ports: [":80", "127.0.0.1::81/udp"]\n');
    expect(c.spec.ports).toEqual([
      { containerPort: 80, hostIP: '', protocol: 'tcp' },
      { containerPort: 81, hostIP: '127.0.0.1', protocol: 'udp' },
    ]);
  });

  it('reads an empty host IP as every address, as Docker does (`${BIND:-}:8443:443`)', async () => {
    const c = await container('  ports: [":8443:443", "::82/udp"]\n');
    expect(c.spec.ports).toEqual([
      { containerPort: 443, hostIP: '', hostPort: 8443, protocol: 'tcp' },
      { containerPort: 82, hostIP: '', protocol: 'udp' },
    ]);
  });

  it('reads a host range onto one container port as one binding the engine picks a port of (`8000-8010:80`)', async () => {
    const short = await container(
      '  ports: ["127.0.0.1:8000-8010:80", "9000-9001:9000-9001/udp"]\n',
    );
    expect(short.spec.ports).toEqual([
      {
        containerPort: 80,
        hostIP: '127.0.0.1',
        hostPort: 8000,
        hostPortEnd: 8010,
        protocol: 'tcp',
      },
      { containerPort: 9000, hostIP: '', hostPort: 9000, protocol: 'udp' },
      { containerPort: 9001, hostIP: '', hostPort: 9001, protocol: 'udp' },
    ]);
    const long = await container(
      [
        '  ports:',
        '    - {containerPort: 80, hostPort: 8000, hostPortEnd: 8010, hostIP: 127.0.0.1}',
        '    - "9000-9001:9000-9001/udp"',
        '',
      ].join('\n'),
    );
    expect(long.specHash).toBe(short.specHash);
    const single = await container(
      '  ports: [{containerPort: 80, hostPort: 8000, hostPortEnd: 8000}]\n',
    );
    expect(single.spec.ports).toEqual([
      { containerPort: 80, hostIP: '', hostPort: 8000, protocol: 'tcp' },
    ]);
  });

  it('reads mount targets as the engine does: /t/ and /a//b/../t are /t, no recreate (F279 d)', async () => {
    const plain = await container('  mounts: [{tmpfs: /t}, {tmpfs: /data}]\n');
    const respelt = await container('  mounts: [{tmpfs: /t/}, {tmpfs: /srv//x/../../data/}]\n');
    expect(respelt.spec.mounts.map((m) => m.target)).toEqual(['/t', '/data']);
    expect(respelt.specHash).toBe(plain.specHash);
  });

  it('lets replicas and containers share a host range: the engine picks a free port of it for each', async () => {
    const file = join(dir, 'range-replicas.yaml');
    const web = (name: string) =>
      `apiVersion: berth/v1\nkind: Container\nmetadata: {name: ${name}}\nspec: {image: "busybox:1", replicas: 2, ports: ["8000-8010:80"]}\n`;
    writeFileSync(file, `${web('a')}---\n${web('b')}`);
    expect((await loadManifests([file])).problems).toEqual([]);
  });

  it('applies the policy chosen on the command line', async () => {
    const spec = '  privileged: true\n  devices: ["/dev/fuse"]\n  pid: host\n';
    const privileged = await container(spec, { policy: policyFor('privileged') });
    expect(privileged.spec.devices).toEqual([
      { hostPath: '/dev/fuse', containerPath: '/dev/fuse', permissions: 'rwm' },
    ]);
    const file = join(dir, 'restricted.yaml');
    writeFileSync(
      file,
      'apiVersion: berth/v1\nkind: Container\nmetadata: {name: web}\nspec:\n  image: busybox:1\n  ports: ["127.0.0.1:80:80"]\n',
    );
    const restricted = await loadManifests([file], { policy: policyFor('restricted') });
    const messages = restricted.problems.map((p) => p.message).sort();
    expect(messages).toEqual([
      expect.stringMatching(/spec.capDrop must include ALL/),
      expect.stringMatching(/spec.ports publishes host port 80/),
      expect.stringMatching(/spec.user must name a non-root user/),
    ]);
    await container('  user: "1000"\n  capDrop: [ALL]\n  ports: ["127.0.0.1:8080:80"]\n', {
      policy: policyFor('restricted'),
    });
    // uid 0 however written, added capabilities and unconfined profiles (F109).
    writeFileSync(
      file,
      'apiVersion: berth/v1\nkind: Container\nmetadata: {name: web}\nspec:\n  image: busybox:1\n  user: "+00"\n  capDrop: [ALL]\n  capAdd: [NET_BIND_SERVICE, SYS_ADMIN]\n  securityOpt: ["seccomp=unconfined"]\n',
    );
    const loose = await loadManifests([file], { policy: policyFor('restricted') });
    expect(loose.problems.map((p) => p.message).sort()).toEqual([
      expect.stringMatching(/spec.capAdd adds CAP_SYS_ADMIN; only NET_BIND_SERVICE may be added/),
      expect.stringMatching(/spec.securityOpt turns off seccomp, AppArmor or SELinux confinement/),
      expect.stringMatching(/spec.user must name a non-root user/),
    ]);
  });

  it.each([
    ['"-0"'],
    ['"-00:0"'],
    ['" "'],
    ['"${U:-}"'],
    ['":"'],
    ['":1000"'],
    ['"${U:-}:${G:-}"'],
  ])('under restricted, user %s is root or the image default, and refused (F187)', async (user) => {
    const file = join(dir, 'user.yaml');
    writeFileSync(
      file,
      `apiVersion: berth/v1\nkind: Container\nmetadata: {name: web}\nspec:\n  image: busybox:1\n  user: ${user}\n  capDrop: [ALL]\n`,
    );
    const loaded = await loadManifests([file], { policy: policyFor('restricted'), env: {} });
    expect(loaded.problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/spec.user must name a non-root user/),
    ]);
  });

  it.each([['":"'], ['"1000:"'], ['":1000"'], ['"${PUID:-}:${PGID:-}"']])(
    "under baseline, user %s is taken as the engine takes it: an empty side is uid 0 or the user's group",
    async (user) => {
      const file = join(dir, 'user-sides.yaml');
      writeFileSync(
        file,
        `apiVersion: berth/v1\nkind: Container\nmetadata: {name: web}\nspec:\n  image: busybox:1\n  user: ${user}\n`,
      );
      const loaded = await loadManifests([file], { env: {} });
      expect(loaded.problems).toEqual([]);
    },
  );

  it('under baseline a gpus request may name only the GPU driver (CDI names any host device)', async () => {
    const file = join(dir, 'cdi.yaml');
    writeFileSync(
      file,
      'apiVersion: berth/v1\nkind: Container\nmetadata: {name: web}\nspec:\n  image: busybox:1\n  gpus: {driver: cdi, deviceIds: ["vendor.com/x=all"]}\n',
    );
    const baseline = await loadManifests([file]);
    expect(baseline.problems.map((p) => p.message)).toEqual([
      'Container "web": spec.gpus.driver asks device driver cdi for host devices, which the policy forbids (allowed under --policy privileged)',
    ]);
    expect((await loadManifests([file], { policy: policyFor('privileged') })).problems).toEqual([]);
    await container('  gpus: {driver: nvidia, count: 1, capabilities: [compute, video]}\n');
  });
});
