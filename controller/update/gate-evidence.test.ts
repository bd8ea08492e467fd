import { describe, expect, it } from 'vitest';
import { rememberValue } from '../../specs/file-values.js';
import { MemoryEngine } from '../engine/memory/memory-engine.js';
import { createRequest } from '../engine/testing/create-request.js';
import { ownershipLabels } from '../labels.js';
import { gateEvidence, LOG_TAIL_LINES } from './gate-evidence.js';

const IMAGE = 'localhost/berth-busybox:1';

const request = createRequest({
  name: 'p-web-next',
  image: IMAGE,
  labels: ownershipLabels('p', 'Container', 'web', 'h'),
  stopTimeoutSec: 1,
});

async function started(engine: MemoryEngine): Promise<string> {
  engine.addImage(IMAGE, 'abc123');
  const { id } = await engine.createContainer(request);
  await engine.startContainer(id);
  return id;
}

describe('gateEvidence: a new container that exited (F560)', () => {
  it('quotes its last log lines, in one line, Secret values masked', async () => {
    rememberValue(Buffer.from('gate-s3cret'), 'secret');
    const engine = new MemoryEngine();
    const id = await started(engine);
    const early = Array.from({ length: 10 }, (_, i) => `early ${i}`);
    engine.writeLog(id, ...early, 'connecting with gate-s3cret', 'boom: no database');
    engine.crash(id, 3);
    const evidence = await gateEvidence(engine, id);
    expect(evidence).toBe(
      `last log: ${[...early.slice(-(LOG_TAIL_LINES - 2)), 'connecting with ***', 'boom: no database'].join(' ')}`,
    );
  });

  it('reads no log of a container still running (its probe says why), nor of one gone', async () => {
    const engine = new MemoryEngine();
    const id = await started(engine);
    engine.writeLog(id, 'serving');
    expect(await gateEvidence(engine, id)).toBeUndefined();
    expect(await gateEvidence(engine, 'no-such-id')).toBeUndefined();
  });
});
