import { describe, expect, it } from 'vitest';
import { resolveEngineAddress } from '../engine/docker/engine-address.js';
import type { ObservedNode } from '../engine/swarm/swarm-types.js';
import type { BerthError } from '../errors.js';
import { nodeEngineAddress, parseTaskName } from './swarm-node.js';

const node = (labels: Record<string, string> = {}): ObservedNode => ({
  id: 'n2',
  hostname: 'dc2',
  addr: '10.231.0.12',
  role: 'worker',
  state: 'ready',
  labels,
});
const tcpManager = resolveEngineAddress('tcp://10.231.0.11:2375', {});
const unixManager = resolveEngineAddress('unix:///run/dc1.sock', {});

describe('nodeEngineAddress', () => {
  it('a node reached like the tcp manager: its advertised address at the manager port', () => {
    expect(nodeEngineAddress(node(), tcpManager, 'n1', {})).toMatchObject({
      kind: 'tcp',
      host: '10.231.0.12',
      port: 2375,
      display: 'tcp://10.231.0.12:2375 (node dc2)',
    });
  });

  it('the node berth talks to is the manager itself, whatever its address kind', () => {
    expect(nodeEngineAddress(node(), unixManager, 'n2', {})).toBe(unixManager);
  });

  it('the berth.engine label wins; without it a unix manager cannot say where a node is', () => {
    const labelled = node({ 'berth.engine': 'tcp://192.0.2.7:2376' });
    expect(nodeEngineAddress(labelled, unixManager, 'n1', {})).toMatchObject({
      kind: 'tcp',
      host: '192.0.2.7',
      port: 2376,
    });
    const refused = (() => {
      try {
        return nodeEngineAddress(node(), unixManager, 'n1', {});
      } catch (e) {
        return e;
      }
    })() as BerthError;
    expect(refused.code).toBe('E_NODE_UNREACHABLE');
    expect(refused.context.hint).toContain('--label-add berth.engine=tcp://HOST:PORT dc2');
  });

  it('parses Swarm task names', () => {
    expect(parseTaskName('web.2')).toEqual({ name: 'web', slot: 2 });
    expect(parseTaskName('web')).toEqual({ name: 'web' });
    expect(parseTaskName('my.app')).toEqual({ name: 'my.app' });
  });
});
