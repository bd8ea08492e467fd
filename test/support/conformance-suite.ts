import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  ContainerCreateRequest,
  Engine,
  EngineEvent,
} from '../../controller/engine/engine.js';
import { isEngineError } from '../../controller/engine/engine.js';
import { LABEL, ownershipLabels } from '../../controller/labels.js';
import { TEST_IMAGE, uniqueProject } from './docker.js';

/**
 * One behaviour suite for every engine berth drives: the real Docker engine, Podman's
 * Docker-compatible API (test/podman) and MemoryEngine, so neither the adapter's handling
 * of an engine's quirks nor the in-memory model can drift from what engines really answer.
 */

/** One engine the suite runs against. */
export interface Subject {
  name: string;
  make(): Promise<Engine>;
  /** Makes a running container's process end with `code` by itself. */
  exitWith(engine: Engine, id: string, code: number): Promise<void>;
  /** Runs a command in a container of a real engine; its trimmed stdout. */
  exec?(id: string, ...cmd: string[]): Promise<string>;
  /** Removes a network the way someone else would (another client, not this engine). */
  removeNetworkOutside(engine: Engine, name: string): Promise<void>;
  /**
   * The /24 (first three octets) of the suite's fixed-subnet network; distinct per engine.
   * Outside Docker's default address pools (172.17–172.31/16, 192.168/16) and Podman's
   * (10.88/16, 10.89/16): the engines refuse a subnet that overlaps a network another test
   * or project took from them (seen: a compose project's 172.29.0.0/16).
   */
  subnet?: string;
  /** Removes what the suite left of `project` on a real engine. */
  cleanup?(project: string): Promise<void>;
}

const SLEEPER = ['sh', '-c', "trap 'exit 0' TERM; sleep 3600 & wait"];

async function waitFor<T>(
  read: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => new Error('expected a rejection'),
    (e: unknown) => e,
  );
}

/**
 * Defines the suite for one subject (a `describe` block); call it at a test file's top level.
 */
export function conformanceSuite(subject: Subject): void {
  describe(`engine conformance: ${subject.name}`, () => {
    const project = uniqueProject('conf');
    const other = uniqueProject('conf-other');
    let engine: Engine;
    let workDir: string;

    const request = (
      name: string,
      extra: Partial<ContainerCreateRequest> = {},
    ): ContainerCreateRequest => ({
      name: `${project}-${name}`,
      image: TEST_IMAGE,
      labels: ownershipLabels(project, 'Container', name, 'h1'),
      // The process ends with the code written to /tmp/exit-code when it gets SIGTERM.
      cmd: [
        'sh',
        '-c',
        "trap 'exit $(cat /tmp/exit-code 2>/dev/null || echo 0)' TERM; sleep 3600 & wait",
      ],
      env: { GREETING: 'hi' },
      ports: [],
      mounts: [{ type: 'tmpfs', target: '/tmp', sizeBytes: 4 * 1024 * 1024 }],
      networks: [],
      restartPolicy: 'no',
      stopTimeoutSec: 5,
      init: false,
      privileged: false,
      ...extra,
    });

    beforeAll(async () => {
      engine = await subject.make();
      workDir = mkdtempSync(join(tmpdir(), 'berth-conf-'));
    });

    afterAll(async () => {
      await subject.cleanup?.(project);
      await subject.cleanup?.(other);
      rmSync(workDir, { recursive: true, force: true });
    });

    it('answers ping with the API version', async () => {
      expect((await engine.ping()).apiVersion).toMatch(/^1\.\d+$/);
    });

    it('drives a container through its states idempotently, paused observed as paused', async () => {
      const { id } = await engine.createContainer(request('life'));
      const stateOf = async () =>
        (await engine.observe({ project })).containers.find((c) => c.id === id)?.state;
      expect(await stateOf()).toBe('created');
      expect(await engine.startContainer(id)).toEqual({ changed: true });
      expect(await engine.startContainer(id)).toEqual({ changed: false });
      expect(await engine.pauseContainer(id)).toEqual({ changed: true });
      expect(await engine.pauseContainer(id)).toEqual({ changed: false });
      expect(await stateOf()).toBe('paused');
      expect((await engine.inspectContainer(id))?.state).toBe('paused');
      expect(await engine.unpauseContainer(id)).toEqual({ changed: true });
      expect(await engine.unpauseContainer(id)).toEqual({ changed: false });
      expect(await stateOf()).toBe('running');
      expect(await engine.stopContainer(id, 5)).toEqual({ changed: true });
      expect(await engine.stopContainer(id, 5)).toEqual({ changed: false });
      expect(await engine.killContainer(id)).toEqual({ changed: false });
      expect(await stateOf()).toBe('exited');
      expect(await engine.removeContainer(id)).toEqual({ changed: true });
      expect(await engine.removeContainer(id)).toEqual({ changed: false });
      expect(await engine.stopContainer(id, 5)).toEqual({ changed: false });
      expect(await engine.inspectContainer(id)).toBeUndefined();
      expect(isEngineError(await rejection(engine.startContainer(id)), 'E_NOT_FOUND')).toBe(true);
      expect(isEngineError(await rejection(engine.pauseContainer(id)), 'E_NOT_FOUND')).toBe(true);
    });

    it('refuses to pause a stopped container and to start a paused one', async () => {
      const { id } = await engine.createContainer(request('refuse'));
      expect(isEngineError(await rejection(engine.pauseContainer(id)), 'E_CONFLICT')).toBe(true);
      await engine.startContainer(id);
      await engine.pauseContainer(id);
      expect(isEngineError(await rejection(engine.startContainer(id)), 'E_CONFLICT')).toBe(true);
      expect(await engine.removeContainer(id)).toEqual({ changed: true });
    });

    it('rejects a duplicate container name with E_CONFLICT', async () => {
      await engine.createContainer(request('dup'));
      const err = await rejection(engine.createContainer(request('dup')));
      expect(isEngineError(err, 'E_CONFLICT')).toBe(true);
      expect((err as Error).message).toContain(`${project}-dup`);
    });

    it('observes only the project, with labels, exit codes and inspect details', async () => {
      const { id } = await engine.createContainer(request('obs', { restartPolicy: 'no' }));
      await engine.createContainer({
        ...request('foreign'),
        name: `${other}-foreign`,
        labels: ownershipLabels(other, 'Container', 'foreign', 'h'),
      });
      await engine.startContainer(id);
      await subject.exitWith(engine, id, 3);
      const observed = await waitFor(async () => {
        const found = (await engine.observe({ project })).containers.find((c) => c.id === id);
        return found?.state === 'exited' ? found : undefined;
      }, 'the container to exit');
      expect(observed).toMatchObject({
        name: `${project}-obs`,
        exitCode: 3,
        imageRef: TEST_IMAGE,
        labels: { [LABEL.project]: project, [LABEL.name]: 'obs' },
      });
      expect(observed.imageId).toMatch(/^sha256:/);
      const all = await engine.observe({ project });
      expect(all.containers.every((c) => c.labels[LABEL.project] === project)).toBe(true);
      expect(all.images.some((i) => i.repoTags.includes(TEST_IMAGE))).toBe(true);
      const everyProject = await engine.observe({});
      expect(everyProject.containers.map((c) => c.labels[LABEL.project])).toEqual(
        expect.arrayContaining([project, other]),
      );
      const details = await engine.inspectContainer(id);
      expect(details).toMatchObject({ exitCode: 3, restartCount: 0, state: 'exited' });
    });

    it('restarts a crashed container under unless-stopped but not one stopped through the API', async () => {
      const { id } = await engine.createContainer(
        request('crashy', { restartPolicy: 'unless-stopped' }),
      );
      await engine.startContainer(id);
      await subject.exitWith(engine, id, 1);
      const restarted = await waitFor(async () => {
        const d = await engine.inspectContainer(id);
        return d && d.restartCount >= 1 && d.state === 'running' ? d : undefined;
      }, 'the restart');
      expect(restarted.restartCount).toBeGreaterThanOrEqual(1);
      await engine.stopContainer(id, 5);
      await new Promise((r) => setTimeout(r, 500));
      expect((await engine.inspectContainer(id))?.state).toBe('exited');
      await engine.removeContainer(id);
    });

    it('connects containers to networks with aliases, first at create and the rest after', async () => {
      const labels = (name: string) => ownershipLabels(project, 'Network', name, 'h');
      const base = { driver: 'bridge', internal: false, attachable: false, options: {} };
      const front = await engine.createNetwork({
        ...base,
        name: `${project}-front`,
        labels: labels('front'),
      });
      await engine.createNetwork({ ...base, name: `${project}-back`, labels: labels('back') });
      const dup = await rejection(
        engine.createNetwork({ ...base, name: `${project}-front`, labels: labels('front') }),
      );
      expect(isEngineError(dup, 'E_CONFLICT')).toBe(true);

      const site = join(workDir, 'site');
      rmSync(site, { recursive: true, force: true });
      await import('node:fs').then((fs) => fs.mkdirSync(site));
      writeFileSync(join(site, 'index.html'), 'hello from berth\n');
      const server = await engine.createContainer(
        request('server', {
          cmd: ['httpd', '-f', '-p', '8080', '-h', '/www'],
          mounts: [{ type: 'bind', source: site, target: '/www', readOnly: true }],
          networks: [
            { name: `${project}-front`, aliases: ['web'] },
            { name: `${project}-back`, aliases: ['web-back'] },
          ],
          ports: [{ containerPort: 8080, hostIP: '127.0.0.1', protocol: 'tcp' }],
        }),
      );
      const client = await engine.createContainer(
        request('client', { cmd: SLEEPER, networks: [{ name: `${project}-front`, aliases: [] }] }),
      );
      await engine.startContainer(server.id);
      await engine.startContainer(client.id);
      const observed = await engine.observe({ project });
      const serverSeen = observed.containers.find((c) => c.id === server.id);
      expect(serverSeen?.networks).toEqual([`${project}-back`, `${project}-front`]);
      expect(serverSeen?.ports[0]).toMatchObject({
        containerPort: 8080,
        hostIP: '127.0.0.1',
        protocol: 'tcp',
      });
      expect(serverSeen?.ports[0]?.hostPort).toBeGreaterThan(0);
      expect(observed.networks.map((n) => n.name).sort()).toEqual([
        `${project}-back`,
        `${project}-front`,
      ]);
      expect(observed.networks.find((n) => n.id === front.id)?.labels[LABEL.name]).toBe('front');
      if (subject.exec) {
        const page = await subject.exec(client.id, 'wget', '-qO-', 'http://web:8080/');
        expect(page).toBe('hello from berth');
      }
      expect(await engine.connectNetwork(`${project}-back`, client.id, ['c'])).toEqual({
        changed: true,
      });
      expect(await engine.connectNetwork(`${project}-back`, client.id, ['c'])).toEqual({
        changed: false,
      });
      expect(await engine.disconnectNetwork(`${project}-back`, client.id)).toEqual({
        changed: true,
      });
      expect(await engine.disconnectNetwork(`${project}-back`, client.id)).toEqual({
        changed: false,
      });
      await engine.removeContainer(server.id);
      await engine.removeContainer(client.id);
      expect(await engine.removeNetwork(`${project}-back`)).toEqual({ changed: true });
      expect(await engine.removeNetwork(front.id)).toEqual({ changed: true });
      expect(await engine.removeNetwork(front.id)).toEqual({ changed: false });
    });

    it('refuses to remove a network with a running member, by name or by id', async () => {
      const name = `${project}-busy`;
      const subnet = subject.subnet ?? '10.213.71';
      const network = await engine.createNetwork({
        name,
        driver: 'bridge',
        internal: true,
        attachable: false,
        options: {},
        ipam: { subnet: `${subnet}.0/24`, gateway: `${subnet}.1` },
        labels: ownershipLabels(project, 'Network', 'busy', 'h'),
      });
      const { id } = await engine.createContainer(
        request('member', { cmd: SLEEPER, networks: [{ name, aliases: [] }] }),
      );
      await engine.startContainer(id);
      expect(isEngineError(await rejection(engine.removeNetwork(name)), 'E_CONFLICT')).toBe(true);
      // Podman's removal by id skips its in-use check (ENGINE-NOTES): the member keeps it.
      const byId = await rejection(engine.removeNetwork(network.id));
      expect(isEngineError(byId, 'E_CONFLICT')).toBe(true);
      expect((await engine.inspectContainer(id))?.state).toBe('running');
      await engine.removeContainer(id);
      expect(await engine.removeNetwork(name)).toEqual({ changed: true });
    });

    it('stops a paused container', async () => {
      const { id } = await engine.createContainer(request('paused-stop', { cmd: SLEEPER }));
      await engine.startContainer(id);
      await engine.pauseContainer(id);
      expect(await engine.stopContainer(id, 5)).toEqual({ changed: true });
      expect((await engine.inspectContainer(id))?.state).toBe('exited');
      await engine.removeContainer(id);
    });

    it('a forced removal ends a stop still waiting on a process that ignores SIGTERM', async () => {
      // `berth run --rm`'s second signal: the first one's stop is under way (sh as PID 1
      // ignores SIGTERM) and the removal must not wait out its grace period.
      const { id } = await engine.createContainer(
        request('rm-stopping', { cmd: ['sh', '-c', 'sleep 3600'] }),
      );
      await engine.startContainer(id);
      const stopping = engine.stopContainer(id, 30).then(
        () => Date.now(),
        () => Date.now(),
      );
      await new Promise((r) => setTimeout(r, 500));
      const removing = Date.now();
      expect(await engine.removeContainer(id)).toEqual({ changed: true });
      expect(await engine.inspectContainer(id)).toBeUndefined();
      // Well before the stop's 30 s: the process went with the container.
      expect((await stopping) - removing).toBeLessThan(10_000);
    });

    it('creates volumes idempotently and will not remove one in use', async () => {
      const name = `${project}-data`;
      const req = {
        name,
        driver: 'local',
        options: {},
        labels: ownershipLabels(project, 'Volume', 'data', 'h'),
      };
      expect(await engine.createVolume(req)).toEqual({ name });
      expect(await engine.createVolume(req)).toEqual({ name });
      const seen = (await engine.observe({ project })).volumes.find((v) => v.name === name);
      expect(seen).toMatchObject({ driver: 'local', labels: { [LABEL.name]: 'data' } });
      const { id } = await engine.createContainer(
        request('vol-user', {
          mounts: [{ type: 'volume', source: name, target: '/data', readOnly: false }],
        }),
      );
      expect(isEngineError(await rejection(engine.removeVolume(name)), 'E_CONFLICT')).toBe(true);
      await engine.removeContainer(id);
      expect(await engine.removeVolume(name)).toEqual({ changed: true });
      expect(await engine.removeVolume(name)).toEqual({ changed: false });
    });

    it('inspects, builds and removes images; a bad build or pull fails with its code', async () => {
      expect((await engine.inspectImage(TEST_IMAGE))?.id).toMatch(/^sha256:/);
      expect(await engine.inspectImage('berth-no-such/image:0')).toBeUndefined();
      const context = join(workDir, 'ctx');
      await import('node:fs').then((fs) => fs.mkdirSync(context, { recursive: true }));
      writeFileSync(
        join(context, 'Dockerfile'),
        `FROM ${TEST_IMAGE}\nARG WORD\nCOPY hello.txt /hello.txt\nRUN echo "$WORD" > /word\n`,
      );
      writeFileSync(join(context, 'hello.txt'), 'hi\n');
      const tag = `localhost/${project}-img:1`;
      const lines: string[] = [];
      const built = await engine.buildImage(
        {
          contextDir: context,
          files: ['Dockerfile', 'hello.txt'],
          dockerfile: 'Dockerfile',
          tag,
          args: { WORD: 'berth' },
          labels: { [LABEL.project]: project, [LABEL.kind]: 'Image', [LABEL.name]: 'img' },
        },
        (line) => lines.push(line),
      );
      expect(built.repoTags).toContain(tag);
      expect(built.labels[LABEL.project]).toBe(project);
      expect(lines.length).toBeGreaterThan(0);
      expect((await engine.inspectImage(tag))?.id).toBe(built.id);
      const badBuild = await rejection(
        engine.buildImage({
          contextDir: context,
          files: ['hello.txt'],
          dockerfile: 'Dockerfile',
          tag: `${tag}-bad`,
          args: {},
          labels: {},
        }),
      );
      expect(isEngineError(badBuild, 'E_IMAGE_BUILD')).toBe(true);
      const badPull = await rejection(engine.pullImage('localhost:1/berth-nothing:1'));
      expect(isEngineError(badPull, 'E_IMAGE_PULL')).toBe(true);
      expect((badPull as Error).message).toContain('localhost:1/berth-nothing:1');
      expect(await engine.removeImage(tag)).toEqual({ changed: true });
      expect(await engine.removeImage(tag)).toEqual({ changed: false });
    });

    it('delivers the removal of a network someone else removed', async () => {
      const name = `${project}-gone`;
      const events: EngineEvent[] = [];
      const subscription = engine.subscribeEvents({ project }, (e) => events.push(e));
      await new Promise((r) => setTimeout(r, 300));
      await engine.createNetwork({
        name,
        driver: 'bridge',
        internal: false,
        attachable: false,
        options: {},
        labels: ownershipLabels(project, 'Network', 'gone', 'h'),
      });
      await subject.removeNetworkOutside(engine, name);
      const removed = await waitFor(
        async () => events.find((e) => e.type === 'network' && e.action === 'destroy'),
        'the removal event',
      );
      subscription.close();
      expect(removed).toMatchObject({ name, change: 'removed' });
    });

    it('delivers start, pause, die, destroy and network destroy events for the project only', async () => {
      const since = Date.now() - 1000;
      const events: EngineEvent[] = [];
      const subscription = engine.subscribeEvents({ project }, (e) => events.push(e));
      // Let the stream open before acting, as a watcher would have.
      await new Promise((r) => setTimeout(r, 300));
      const netName = `${project}-evnet`;
      await engine.createNetwork({
        name: netName,
        driver: 'bridge',
        internal: false,
        attachable: false,
        options: {},
        labels: ownershipLabels(project, 'Network', 'evnet', 'h'),
      });
      const { id } = await engine.createContainer(request('ev', { cmd: SLEEPER }));
      const foreign = await engine.createContainer({
        ...request('ev'),
        name: `${other}-ev`,
        labels: ownershipLabels(other, 'Container', 'ev', 'h'),
      });
      await engine.startContainer(foreign.id);
      await engine.startContainer(id);
      await engine.pauseContainer(id);
      await engine.unpauseContainer(id);
      await engine.killContainer(id);
      await engine.removeContainer(id);
      await engine.removeNetwork(netName);
      const has = (type: string, action: string) =>
        events.some((e) => e.type === type && e.action === action);
      await waitFor(
        async () => (has('network', 'destroy') && has('container', 'destroy') ? true : undefined),
        'the events',
      );
      subscription.close();
      await subscription.ended;
      for (const action of ['create', 'start', 'pause', 'unpause', 'die', 'destroy']) {
        expect(
          events.some((e) => e.type === 'container' && e.action === action && e.id === id),
          action,
        ).toBe(true);
      }
      expect(events.find((e) => e.action === 'die' && e.id === id)?.attributes?.exitCode).toBe(
        '137',
      );
      expect(events.some((e) => e.id === foreign.id)).toBe(false);
      expect(events.find((e) => e.type === 'network' && e.action === 'destroy')?.name).toBe(
        netName,
      );

      // With `until` the stream replays the past and ends by itself (describe's recent events).
      const replayed: EngineEvent[] = [];
      const replay = engine.subscribeEvents({ project, since, until: Date.now() + 1000 }, (e) =>
        replayed.push(e),
      );
      await replay.ended;
      expect(replayed.some((e) => e.action === 'pause' && e.id === id)).toBe(true);
    });
  });
}
