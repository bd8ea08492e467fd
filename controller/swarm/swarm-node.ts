import { resolveEngineAddress, type EngineAddress } from '../engine/docker/engine-address.js';
import type { ObservedNode, ObservedService, ObservedTask } from '../engine/swarm/swarm-types.js';
import { BerthError } from '../errors.js';

/** The node label that names a node's engine endpoint (`tcp://10.0.0.5:2376`). */
export const NODE_ENGINE_LABEL = 'berth.engine';

/**
 * Where berth reaches the engine of the node a task runs on (exec and cp into a task's
 * container; DESIGN.md "Several engines and a cluster engine"). A Swarm does not publish
 * its nodes' engine endpoints, so, in order:
 * 1. the node's `berth.engine` label (`docker node update --label-add berth.engine=tcp://…`);
 * 2. the node berth talks to (`selfId`): the manager's own address;
 * 3. a manager reached over tcp: the node's advertised address at the manager's port, with
 *    the manager's TLS material (engines of one Swarm set up alike);
 * else E_NODE_UNREACHABLE (exit 1), saying how to name the endpoint. Pure.
 */
export function nodeEngineAddress(
  node: ObservedNode,
  manager: EngineAddress,
  selfId: string,
  env: NodeJS.ProcessEnv,
): EngineAddress {
  const label = node.labels[NODE_ENGINE_LABEL];
  if (label) {
    const address = resolveEngineAddress(label, env);
    return address.kind === 'tcp' && manager.kind === 'tcp' && address.tls === manager.tls
      ? { ...address, ...tlsOf(manager), display: `${address.display} (node ${node.hostname})` }
      : { ...address, display: `${address.display} (node ${node.hostname})` };
  }
  if (node.id === selfId) return manager;
  if (manager.kind === 'tcp' && node.addr) {
    const host = node.addr.includes(':') ? `[${node.addr}]` : node.addr;
    return {
      ...manager,
      host: node.addr,
      display: `${manager.tls ? 'https' : 'tcp'}://${host}:${manager.port} (node ${node.hostname})`,
    };
  }
  throw new BerthError(
    'E_NODE_UNREACHABLE',
    `node ${node.hostname} (${node.addr || 'no address'}) runs the task, and berth does not know where its engine listens: the manager is reached at ${manager.display}, not over tcp`,
    {
      hint: `name it with: docker node update --label-add ${NODE_ENGINE_LABEL}=tcp://HOST:PORT ${node.hostname}`,
    },
  );
}

function tlsOf(manager: EngineAddress & { kind: 'tcp' }) {
  return {
    ...(manager.certPath ? { certPath: manager.certPath } : {}),
    ...(manager.tlsFiles ? { tlsFiles: manager.tlsFiles } : {}),
    ...(manager.skipVerify ? { skipVerify: manager.skipVerify } : {}),
  };
}

/**
 * `web` or `web.2` (Swarm's task name: service name, replica slot) → the declared name and
 * the slot (undefined: the lowest slot that runs).
 */
export function parseTaskName(text: string): { name: string; slot?: number } {
  const m = /^(.+)\.(\d+)$/.exec(text);
  return m?.[1] ? { name: m[1], slot: Number(m[2]) } : { name: text };
}

/**
 * The running task of `service` to exec or copy into: the given slot's, else the lowest
 * slot's. Refuses with E_STATE naming the tasks' states when none of them runs (a container
 * that is not running cannot be entered), and with E_UNKNOWN_OBJECT for a slot the service
 * does not have. Pure.
 */
export function runningTask(
  service: ObservedService,
  tasks: readonly ObservedTask[],
  declared: string,
  slot?: number,
): ObservedTask {
  const own = tasks.filter(
    (t) => t.serviceId === service.id && (slot === undefined || t.slot === slot),
  );
  if (slot !== undefined && own.length === 0)
    throw new BerthError(
      'E_UNKNOWN_OBJECT',
      `${declared} has no replica ${slot} (it has ${service.replicas})`,
      { object: `Container/${declared}` },
    );
  const running = own
    .filter((t) => t.state === 'running' && t.desiredState === 'running' && t.containerId)
    .sort((a, b) => a.slot - b.slot);
  const first = running[0];
  if (first) return first;
  const states = [...new Set(own.map((t) => t.state))].join(', ') || 'no task';
  throw new BerthError(
    'E_STATE',
    `${slot === undefined ? declared : `${declared}.${slot}`} has no running task (${states})`,
    { object: `Container/${declared}`, hint: 'see berth status --backend swarm' },
  );
}
