import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupProject, docker, freePort, uniqueProject } from '../support/docker.js';
import {
  containerYaml,
  eventually,
  networksOf,
  spawnBerth,
  stateOf,
  waitForApi,
  type WatchProcess,
} from './watch-support.js';

// One controller for the whole file; each test drifts its own container, so no test's
// repair counts as another's crash loop.
const project = uniqueProject('watch');
const TOKEN = 'sekret-token';
const names = ['kill', 'stop', 'pause', 'remove', 'net1', 'net2', 'edit'] as const;
let dir: string;
let stateHome: string;
let watch: WatchProcess;
const engineName = (n: string) => `${project}-${n}`;

function manifests(editValue = 'one'): Record<string, string> {
  return {
    'net.yaml': 'apiVersion: berth/v1\nkind: Network\nmetadata: {name: net}\n',
    'heal.yaml': ['kill', 'stop', 'pause', 'remove'].map((n) => containerYaml(n)).join('---\n'),
    'sub/net.yml': ['net1', 'net2']
      .map((n) => containerYaml(n, '  networks: [net]\n'))
      .join('---\n'),
    'edit.yaml': containerYaml('edit', `  env: {VALUE: "${editValue}"}\n`),
    'held.yaml': containerYaml('held', '  state: paused\n'),
  };
}

async function writeAll(files: Record<string, string>): Promise<void> {
  await docker('version').catch(() => undefined);
  for (const [name, text] of Object.entries(files)) {
    if (name.includes('/'))
      await import('node:fs/promises').then((fs) =>
        fs.mkdir(join(dir, name.split('/')[0]!), { recursive: true }),
      );
    await writeFile(join(dir, name), text);
  }
}

const api = (path: string, token: string | null = TOKEN) =>
  fetch(`${watch.api}${path}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'berth-watch-'));
  stateHome = await mkdtemp(join(tmpdir(), 'berth-watch-state-'));
  await writeAll(manifests());
  const port = await freePort();
  watch = spawnBerth(
    ['watch', dir, '-p', project, '--listen', `127.0.0.1:${port}`, '--resync', '3s'],
    // The token from the environment, not the command line that every local user sees (F34).
    { XDG_STATE_HOME: stateHome, BERTH_TOKEN: TOKEN },
  );
  await waitForApi(watch);
  const up = await eventually(async () => {
    const states = await Promise.all([...names, 'held'].map((n) => stateOf(engineName(n))));
    return states.every((s, i) => s === (i === names.length ? 'paused' : 'running'));
  }, 60_000);
  if (!up) throw new Error(`did not converge:\n${watch.stderr()}`);
}, 120_000);

afterAll(async () => {
  if (watch && watch.child.exitCode === null) {
    watch.child.kill('SIGKILL');
    await watch.exited;
  }
  await cleanupProject(project);
  await rm(dir, { recursive: true, force: true });
  await rm(stateHome, { recursive: true, force: true });
});

describe('berth watch heals drift on the real engine', () => {
  it('restarts a container killed by hand (docker kill)', async () => {
    await docker('kill', engineName('kill'));
    expect(
      await eventually(async () => (await stateOf(engineName('kill'))) === 'running', 5_000, 50),
    ).toBe(true);
  });

  it('starts a container stopped by hand', async () => {
    await docker('stop', '-t', '1', engineName('stop'));
    expect(
      await eventually(async () => (await stateOf(engineName('stop'))) === 'running', 5_000, 50),
    ).toBe(true);
  });

  it('unpauses a container paused by hand, and pauses again one declared paused', async () => {
    await docker('pause', engineName('pause'));
    await docker('unpause', engineName('held'));
    expect(
      await eventually(async () => (await stateOf(engineName('pause'))) === 'running', 5_000, 50),
    ).toBe(true);
    expect(
      await eventually(async () => (await stateOf(engineName('held'))) === 'paused', 5_000, 50),
    ).toBe(true);
  });

  it('recreates a container removed by hand', async () => {
    const before = await docker('inspect', '-f', '{{.Id}}', engineName('remove'));
    await docker('rm', '-f', engineName('remove'));
    const back = await eventually(async () => {
      const id = await docker('inspect', '-f', '{{.Id}}', engineName('remove')).catch(() => before);
      return id !== before && (await stateOf(engineName('remove'))) === 'running';
    }, 8_000);
    expect(back).toBe(true);
  });

  it('recreates an owned network removed by hand and reconnects its containers', async () => {
    const net = engineName('net');
    const before = await docker('network', 'inspect', '-f', '{{.Id}}', net);
    // The controller reconnects a disconnected container within ~50 ms: freeze it (SIGSTOP)
    // while the network is taken away by hand, so the removal cannot lose that race.
    watch.child.kill('SIGSTOP');
    let removed = false;
    try {
      for (const n of ['net1', 'net2'])
        await docker('network', 'disconnect', '-f', net, engineName(n));
      await docker('network', 'rm', net);
      removed = true;
    } finally {
      watch.child.kill('SIGCONT');
    }
    expect(removed).toBe(true);
    const healed = await eventually(async () => {
      const id = await docker('network', 'inspect', '-f', '{{.Id}}', net).catch(() => before);
      const attached = await Promise.all(['net1', 'net2'].map((n) => networksOf(engineName(n))));
      return id !== before && attached.every((a) => a.includes(net));
    }, 10_000);
    expect(healed).toBe(true);
  });

  it('disconnects a container from a project network it does not declare, connected by hand (F124)', async () => {
    const spare = engineName('default');
    await docker('network', 'connect', spare, engineName('net2'));
    // The engine's connect event names no berth object: the periodic resync (3 s) repairs it.
    const repaired = await eventually(
      async () => !(await networksOf(engineName('net2'))).includes(spare),
      15_000,
    );
    expect(repaired).toBe(true);
    expect(await networksOf(engineName('net2'))).toContain(engineName('net'));
  });

  it('converges a saved file, and a broken file keeps its objects', async () => {
    await writeFile(join(dir, 'edit.yaml'), containerYaml('edit', '  env: {VALUE: "two"}\n'));
    const env = () =>
      docker('inspect', '-f', '{{range .Config.Env}}{{.}} {{end}}', engineName('edit'));
    expect(
      await eventually(
        async () =>
          (await env()).includes('VALUE=two') && (await stateOf(engineName('edit'))) === 'running',
        10_000,
      ),
    ).toBe(true);
    // The change is recorded in the project's history, as an apply would be.
    const { berth } = await import('../support/cli.js');
    expect(
      await eventually(async () => {
        const history = await berth(['history', '-p', project, '-o', 'json'], {
          env: { XDG_STATE_HOME: stateHome },
        });
        return history.code === 0 && history.stdout.includes(dir);
      }, 10_000),
    ).toBe(true);

    // Broken in the middle of an edit: its objects keep their last good spec, nothing is pruned.
    await writeFile(
      join(dir, 'heal.yaml'),
      'apiVersion: berth/v1\nkind: Container\nmetadata: {name: kill\n',
    );
    await new Promise((r) => setTimeout(r, 1_500));
    const status = (await (await api('/api/v1/status')).json()) as {
      notice: string | null;
      objects: { key: string }[];
    };
    expect(status.notice).toMatch(/heal\.yaml:\d+:\d+/);
    expect(status.objects.map((o) => o.key)).toContain('Container/kill');
    for (const n of ['kill', 'stop', 'pause', 'remove'])
      expect(await stateOf(engineName(n))).toBe('running');
    await docker('stop', '-t', '1', engineName('stop'));
    expect(
      await eventually(async () => (await stateOf(engineName('stop'))) === 'running', 5_000, 50),
    ).toBe(true);
    await writeAll({ 'heal.yaml': manifests()['heal.yaml']! });
  });

  it('serves the status API, refusing requests without the right token', async () => {
    expect((await api('/healthz', null)).status).toBe(200);
    expect((await api('/api/v1/status', null)).status).toBe(401);
    expect((await api('/api/v1/status', 'wrong')).status).toBe(401);
    expect((await api('/metrics', null)).status).toBe(401);

    const status = (await (await api('/api/v1/status')).json()) as {
      project: string;
      objects: { key: string }[];
    };
    expect(status.project).toBe(project);
    expect(status.objects.map((o) => o.key)).toEqual(
      expect.arrayContaining(['Container/kill', 'Network/net']),
    );
    const object = await api('/api/v1/objects/Container/edit');
    expect(object.status).toBe(200);
    expect(await object.json()).toMatchObject({ key: 'Container/edit', desired: 'running' });
    expect((await api('/api/v1/objects/Container/nope')).status).toBe(404);

    const metrics = await (await api('/metrics')).text();
    expect(metrics).toMatch(/^berth_reconciles_total\{outcome="converged"\} [1-9]/m);
    expect(metrics).toMatch(/^berth_drift_repairs_total [1-9]/m);
    expect(metrics).toMatch(/^berth_engine_reachable 1$/m);
    expect(metrics).toMatch(/^berth_queue_depth \d+$/m);
  });

  it('streams reconciles and engine events as server-sent events', async () => {
    const controller = new AbortController();
    const response = await fetch(`${watch.api}/api/v1/events`, {
      headers: { Authorization: `Bearer ${TOKEN}` },
      signal: controller.signal,
    });
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const reader = response.body!.getReader();
    await docker('kill', engineName('kill'));
    let text = '';
    const deadline = Date.now() + 5_000;
    while (!/event: reconcile[\s\S]*Container\/kill/.test(text) && Date.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      text += Buffer.from(value).toString('utf8');
    }
    controller.abort();
    expect(text).toMatch(/event: engine\ndata: .*"action":"kill"/);
    expect(text).toMatch(/event: reconcile\ndata: .*"key":"Container\/kill"/);
  });

  it('refuses a second controller for the same project (exit 1, naming the holder)', async () => {
    const second = spawnBerth(
      ['watch', dir, '-p', project, '--listen', `127.0.0.1:${await freePort()}`],
      {
        XDG_STATE_HOME: stateHome,
      },
    );
    expect(await second.exited).toBe(1);
    expect(second.stderr()).toMatch(new RegExp(`already watched .* by pid ${watch.child.pid}`));
  });

  it('berth status uses the running controller', async () => {
    const { berth } = await import('../support/cli.js');
    process.env.BERTH_TOKEN = TOKEN;
    const result = await berth(['status', '-p', project, '-o', 'json'], {
      env: { XDG_STATE_HOME: stateHome },
    }).finally(() => delete process.env.BERTH_TOKEN);
    expect(result.stderr).toBe('');
    // Without -f and with no apply recorded, only the controller knows what is declared.
    expect(JSON.parse(result.stdout)).toMatchObject({ project, desiredSource: 'files' });
  });

  it('berth status with a wrong token says the controller refused it (F161)', async () => {
    const { berth } = await import('../support/cli.js');
    process.env.BERTH_TOKEN = 'not-the-token';
    const result = await berth(['status', '-p', project, '-o', 'json'], {
      env: { XDG_STATE_HOME: stateHome },
    }).finally(() => delete process.env.BERTH_TOKEN);
    expect(result.stderr).toContain(
      `note: the running berth watch (pid ${watch.child.pid}, ${watch.api.replace('http://', '')}) refused the request (HTTP 401: BERTH_TOKEN is unset or wrong)`,
    );
    // stdout stays what -o json promises: the engine's view, without the controller.
    expect(JSON.parse(result.stdout)).toMatchObject({ project });
  });

  it('exits 0 on SIGTERM and leaves the containers running', async () => {
    watch.child.kill('SIGTERM');
    expect(await watch.exited).toBe(0);
    for (const n of names) expect(await stateOf(engineName(n))).toBe('running');
    expect(await stateOf(engineName('held'))).toBe('paused');
  });
});
