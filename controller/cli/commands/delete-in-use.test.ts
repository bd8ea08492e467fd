import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import type { ObjectKey } from '../../../specs/model.js';
import { desiredFrom } from '../../../test/support/manifests.js';
import { MemoryEngine } from '../../engine/memory/memory-engine.js';
import { createRequest } from '../../engine/testing/create-request.js';
import { ownershipLabels } from '../../labels.js';
import { converge } from '../../executor/converge.js';
import type { Logger } from '../../logger.js';
import type { CliContext } from '../context.js';
import { deleteObjects } from './delete.js';

// F462: a network with a fixed engine name (`spec.name`, so other projects join it: a Traefik
// `proxy`) failed `down` with the engine's raw conflict while another project's container was
// on it. It is kept and named, as an image in use is (F346), and the next delete removes it.
// F471: nothing the command reports as kept is logged at error level.
const MANIFEST = `apiVersion: berth/v1
kind: Network
metadata: {name: proxy}
spec: {name: fixed-proxy}
---
apiVersion: berth/v1
kind: Container
metadata: {name: web}
spec:
  image: local/app:1
  networks: [{network: proxy}]
`;

interface LogLine {
  level: 'info' | 'warn' | 'error';
  fields: Record<string, unknown>;
  msg: string;
}

function fakeContext(engine: MemoryEngine, stateDir: string) {
  const out: string[] = [];
  const logs: LogLine[] = [];
  const log = (level: LogLine['level']) => (fields: Record<string, unknown>, msg: string) =>
    logs.push({ level, fields, msg });
  const stdout = new PassThrough();
  stdout.on('data', (chunk: Buffer) => out.push(chunk.toString()));
  const ctx = {
    cwd: stateDir,
    stdout,
    stderr: Object.assign(new PassThrough(), { isTTY: false }),
    stdin: new PassThrough(),
    color: false,
    logger: { info: log('info'), warn: log('warn'), error: log('error') } as unknown as Logger,
    engine: () => Promise.resolve(engine),
    stateDir,
    now: Date.now,
    env: {},
  } satisfies CliContext;
  return { ctx, text: () => out.join(''), logs };
}

/** Another project's running container (of `image`), attached to `network` by engine name. */
async function foreignOn(
  engine: MemoryEngine,
  network: string | undefined,
  image = 'local/app:1',
): Promise<string> {
  const { id } = await engine.createContainer(
    createRequest({
      name: 'other-web',
      image,
      networks: network ? [{ name: network, aliases: [] }] : [],
    }),
  );
  await engine.startContainer(id);
  return id;
}

describe('delete of a network another project’s container is on (F462, F471)', () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'berth-delete-in-use-'));
  afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

  it('keeps it and names the container, exit 0, no error log; the next delete removes it', async () => {
    const engine = new MemoryEngine();
    engine.addImage('local/app:1', 'abc123');
    const declared = await desiredFrom(MANIFEST);
    const { result } = await converge(engine, {
      project: 'front',
      desired: declared,
      prune: false,
      parallel: 8,
      deadline: Date.now() + 20_000,
      now: Date.now,
    });
    expect(result.ok).toBe(true);
    const other = await foreignOn(engine, 'fixed-proxy');
    const job = {
      project: 'front',
      keys: ['Network/proxy', 'Container/web'] as ObjectKey[],
      declared,
      target: undefined,
      options: { timeout: '30s', parallel: '8' },
    };

    const first = fakeContext(engine, stateDir);
    expect(await deleteObjects(first.ctx, job), first.text()).toBe(0);
    expect(first.text()).toContain(
      'Network/proxy: kept, still used by container other-web (not deleted here)',
    );
    expect(first.text()).toContain('Project front: 1 deleted, 1 kept\n');
    expect(first.text()).not.toMatch(/failed|conflict/);
    expect(first.logs.filter((l) => l.level === 'error')).toEqual([]);
    expect(first.logs).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        fields: { object: 'Network/proxy', outcome: 'kept', usedBy: ['other-web'] },
      }),
    );
    expect(await engine.inspectNetwork('fixed-proxy')).toBeDefined();

    await engine.stopContainer(other);
    await engine.removeContainer(other);
    const second = fakeContext(engine, stateDir);
    expect(await deleteObjects(second.ctx, job), second.text()).toBe(0);
    expect(second.text()).toContain('Project front: 1 deleted\n');
    expect(await engine.inspectNetwork('fixed-proxy')).toBeUndefined();
  });

  it('logs an image it keeps in use as kept, never at error level (F471)', async () => {
    const engine = new MemoryEngine();
    const ref = 'localhost/front-app:1';
    engine.addImage(ref, 'def456', ownershipLabels('front', 'Image', 'app', 'h'));
    await foreignOn(engine, undefined, ref);
    writeFileSync(join(stateDir, 'Dockerfile'), 'FROM scratch\n');
    const declared = await desiredFrom(
      `apiVersion: berth/v1
kind: Image
metadata: {name: app}
spec: {ref: ${ref}, build: {context: .}}
`,
      stateDir,
    );
    const run = fakeContext(engine, stateDir);
    const job = {
      project: 'front',
      keys: ['Image/app'] as ObjectKey[],
      declared,
      target: undefined,
      options: { timeout: '30s', parallel: '8' },
    };
    expect(await deleteObjects(run.ctx, job), run.text()).toBe(0);
    expect(run.text()).toContain(
      'Image/app: kept, still used by container other-web (not deleted here)',
    );
    expect(run.logs.filter((l) => l.level === 'error')).toEqual([]);
    expect(run.logs).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        fields: { object: 'Image/app', outcome: 'kept', usedBy: ['other-web'] },
      }),
    );
  });
});
