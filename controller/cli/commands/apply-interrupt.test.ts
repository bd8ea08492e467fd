import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../engine/engine.js';
import { MemoryEngine } from '../../engine/memory/memory-engine.js';
import type { Logger } from '../../logger.js';
import { readHistory } from '../../records/records.js';
import type { CliContext } from '../context.js';
import { run as apply } from './apply.js';
import { run as status } from './status.js';

// F541 (F348 a): Ctrl-C while an engine call is under way. A start that was sent counts as done
// (its answer is not thrown away because the look after it is refused), and no step is logged
// as begun after the signal unless its call is made. The engine holds one call of `held` until
// the test lets it go, so the signal lands while that call is in flight, every time.
const MANIFEST = `apiVersion: berth/v1
kind: Container
metadata: {name: cache}
spec: {image: local/app:1}
---
apiVersion: berth/v1
kind: Container
metadata: {name: db}
spec: {image: local/app:1}
`;

interface LogLine {
  fields: Record<string, unknown>;
  msg: string;
}

function fakeContext(engine: Engine, dir: string) {
  const out: string[] = [];
  const logs: LogLine[] = [];
  const log = (fields: Record<string, unknown>, msg: string) => logs.push({ fields, msg });
  const stdout = new PassThrough();
  stdout.on('data', (chunk: Buffer) => out.push(chunk.toString()));
  const ctx = {
    cwd: dir,
    stdout,
    stderr: Object.assign(new PassThrough(), { isTTY: false }),
    stdin: new PassThrough(),
    color: false,
    logger: { info: log, warn: log, error: log, debug: () => undefined } as unknown as Logger,
    engine: () => Promise.resolve(engine),
    stateDir: join(dir, 'state'),
    now: Date.now,
    env: {},
  } satisfies CliContext;
  return { ctx, text: () => out.join(''), logs };
}

/**
 * `engine` with the first call of `method` for container `name` held until `release()`:
 * `sent` resolves once that call has reached the engine.
 */
function holdingOne(
  engine: MemoryEngine,
  method: 'createContainer' | 'startContainer',
  name: string,
) {
  let sent: () => void = () => undefined;
  let release: () => void = () => undefined;
  const reached = new Promise<void>((r) => (sent = r));
  const gate = new Promise<void>((r) => (release = r));
  let held = false;
  const nameOf = async (arg: unknown) =>
    typeof arg === 'string'
      ? (await engine.inspectContainer(arg))?.name
      : (arg as { name: string }).name;
  const wrapped = new Proxy(engine, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (property !== method || typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        if (!held && (await nameOf(args[0])) === name) {
          held = true;
          sent();
          await gate;
        }
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { engine: wrapped as Engine, sent: reached, release };
}

const OPTIONS = { timeout: '30s', parallel: '1', project: 'intr' };

describe('Ctrl-C while an engine call is under way (F541)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-apply-intr-'));
  writeFileSync(join(dir, 'set.yaml'), MANIFEST);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a start sent before Ctrl-C counts as done: summary, history and status agree with the engine', async () => {
    const memory = new MemoryEngine();
    memory.addImage('local/app:1', 'abc123');
    const held = holdingOne(memory, 'startContainer', 'intr-cache');
    const run = fakeContext(held.engine, dir);
    const applying = apply(run.ctx, { ...OPTIONS, filename: [join(dir, 'set.yaml')] });
    await held.sent;
    process.emit('SIGINT');
    held.release();
    expect(await applying, run.text()).toBe(130);

    expect((await memory.inspectContainer('intr-cache'))?.state).toBe('running');
    expect(run.text()).toMatch(/^interrupted: 2 of 3 objects done before Ctrl-C$/m);
    expect(run.text()).toMatch(/^ {2}done: .*Container\/cache \(create, start\)/m);
    expect(run.text()).toMatch(/^ {2}skipped, its turn had not come: Container\/db$/m);
    expect(run.logs.map((l) => l.msg)).not.toContain('Container/cache failed');

    const history = await readHistory(run.ctx.stateDir, 'intr');
    const entry = history.ok ? history.value[0] : undefined;
    // db was never touched: skipped without an engine call, no failure of its own (F640).
    expect(run.logs.map((l) => l.msg)).toContain('Container/db skipped');
    expect(run.logs.map((l) => l.msg)).not.toContain('Container/db failed');
    expect(entry).toMatchObject({ outcome: 'interrupted', counts: { created: 2, failed: 0 } });
    expect(entry?.steps?.find((s) => s.key === 'Container/db')).toMatchObject({
      failed: true,
      code: 'E_INTERRUPTED',
    });

    const after = fakeContext(memory, dir);
    await status(after.ctx, { project: 'intr', output: 'json' });
    const objects = (JSON.parse(after.text()) as { objects: { key: string; inSync: boolean }[] })
      .objects;
    expect(objects.find((o) => o.key === 'Container/cache')?.inSync).toBe(true);
    expect(objects.find((o) => o.key === 'Container/db')?.inSync).toBe(false);
  });

  it('logs no step begun after Ctrl-C whose call is never made', async () => {
    const memory = new MemoryEngine();
    memory.addImage('local/app:1', 'abc123');
    const held = holdingOne(memory, 'createContainer', 'intr-cache');
    const run = fakeContext(held.engine, dir);
    const applying = apply(run.ctx, { ...OPTIONS, filename: [join(dir, 'set.yaml')] });
    await held.sent;
    process.emit('SIGINT');
    const atSignal = run.logs.length;
    held.release();
    expect(await applying, run.text()).toBe(130);

    // The create was sent and made the container; its start never was.
    expect((await memory.inspectContainer('intr-cache'))?.state).toBe('created');
    expect(memory.calls.startContainer ?? 0).toBe(0);
    const begunAfter = run.logs.slice(atSignal).filter((l) => l.fields.op !== undefined);
    expect(begunAfter.map((l) => l.msg)).toEqual([]);
    // Created and never started: on the engine, but not told as untouched (F641).
    expect(run.text()).toMatch(/^interrupted: 1 of 3 objects done before Ctrl-C$/m);
    expect(run.text()).toMatch(/^ {2}created, not started: Container\/cache \(create\)$/m);
    expect(run.text()).toMatch(/^ {2}skipped, its turn had not come: Container\/db$/m);
  });

  it('-o json prints one document saying the same (not the text summary)', async () => {
    const memory = new MemoryEngine();
    memory.addImage('local/app:1', 'abc123');
    const held = holdingOne(memory, 'startContainer', 'intrjson-cache');
    const run = fakeContext(held.engine, dir);
    const options = { ...OPTIONS, project: 'intrjson', output: 'json' as const };
    const applying = apply(run.ctx, { ...options, filename: [join(dir, 'set.yaml')] });
    await held.sent;
    process.emit('SIGINT');
    held.release();
    expect(await applying, run.text()).toBe(130);
    const document = JSON.parse(run.text()) as Record<string, unknown>;
    expect(document).toMatchObject({
      project: 'intrjson',
      ok: false,
      interrupted: 'SIGINT',
      notDone: ['Container/db'],
      abandoned: [],
    });
    // Per object, where the interrupt left it (F643).
    expect(document.objects).toEqual([
      { key: 'Network/default', state: 'done', ops: ['create'] },
      { key: 'Container/cache', state: 'done', ops: ['create', 'start'] },
      { key: 'Container/db', state: 'skipped', ops: [] },
    ]);
    expect(document.outcomes).toContainEqual(
      expect.objectContaining({
        key: 'Container/cache',
        outcome: 'converged',
        ops: ['create', 'start'],
      }),
    );
  });
});
