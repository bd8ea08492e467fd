import type { EngineChange, EngineEvent, Labels } from '../engine.js';

/**
 * Docker's event stream, read as data: a line splitter that survives chunks cut anywhere,
 * the mapping of one raw event (the project filter, shared by every engine, is
 * ../event-scope.ts).
 */

/** Splits a byte stream into JSON values, one per line; partial lines wait for the next chunk. */
export function jsonLines(onValue: (value: unknown) => void): {
  push(chunk: Buffer | string): void;
  end(): void;
} {
  let pending = '';
  const emit = (line: string) => {
    const text = line.trim();
    if (!text) return;
    try {
      onValue(JSON.parse(text));
    } catch {
      // A line that is not JSON (a proxy's banner, a truncated write) is skipped, not fatal.
    }
  };
  return {
    push(chunk) {
      pending += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
      let nl = pending.indexOf('\n');
      while (nl >= 0) {
        emit(pending.slice(0, nl));
        pending = pending.slice(nl + 1);
        nl = pending.indexOf('\n');
      }
    },
    end() {
      emit(pending);
      pending = '';
    },
  };
}

export interface DockerRawEvent {
  Type?: string;
  Action?: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
  time?: number;
  timeNano?: number;
}

/** Attributes the engine adds to container events that are not the container's labels. */
const NON_LABEL_ATTRIBUTES = new Set([
  'name',
  'image',
  'exitCode',
  'signal',
  'execID',
  'container',
  'type',
  'driver',
]);

const EVENT_TYPES = new Set(['container', 'network', 'volume', 'image']);

export function fromRawEvent(raw: DockerRawEvent): EngineEvent | undefined {
  const type = raw.Type ?? '';
  if (!EVENT_TYPES.has(type)) return undefined;
  const attributes = { ...(raw.Actor?.Attributes ?? {}) };
  const id = raw.Actor?.ID ?? '';
  const labels: Labels = {};
  if (type === 'container') {
    for (const [k, v] of Object.entries(attributes))
      if (!NON_LABEL_ATTRIBUTES.has(k)) labels[k] = v;
  }
  // Volume events name the volume only by its id.
  const name = attributes.name ?? (type === 'volume' ? id : undefined);
  const time = raw.timeNano !== undefined ? Math.floor(raw.timeNano / 1e6) : (raw.time ?? 0) * 1000;
  // Health changes arrive as "health_status: healthy"; exec events carry the command.
  const action = actionOf(type, raw.Action ?? '');
  const change = changeOf(type, action);
  return {
    type: type as EngineEvent['type'],
    action,
    ...(change ? { change } : {}),
    id,
    ...(name !== undefined ? { name } : {}),
    labels,
    time,
    attributes,
  };
}

/**
 * Podman reports a removed container or volume as `remove` where Docker says `destroy`. An
 * exec's action carries its command line (`exec_create: sh -c …`), which may hold anything a
 * user typed, a secret included, and which berth passes to API clients (F660): only the
 * action's name is kept.
 */
function actionOf(type: string, action: string): string {
  if (action.startsWith('exec_')) return action.split(':')[0] as string;
  return action === 'remove' && (type === 'container' || type === 'volume') ? 'destroy' : action;
}

/** Docker's container actions that leave a container other than it was. */
const CONTAINER_CHANGES: Record<string, EngineChange> = {
  start: 'started',
  die: 'exited',
  stop: 'exited',
  kill: 'exited',
  oom: 'exited',
  pause: 'paused',
  unpause: 'unpaused',
  destroy: 'removed',
  rename: 'renamed',
  // `docker update` (Docker 20.10 sends `update`; the event does not say what changed).
  update: 'updated',
  // Podman's, after an exit its restart policy does not follow with a restart: the container
  // has settled from `stopped` (read as restarting once restarted before: F166) to `exited`.
  cleanup: 'exited',
};

/**
 * What a Docker event action means for berth's objects (engine.ts `EngineChange`); exec,
 * attach, create and the like change nothing declared and map to none.
 */
export function changeOf(type: string, action: string): EngineChange | undefined {
  if (type === 'container') {
    if (action.startsWith('health_status')) return 'health';
    return CONTAINER_CHANGES[action];
  }
  if (type === 'network' && action === 'disconnect') return 'disconnected';
  if ((type === 'network' || type === 'volume') && action === 'destroy') return 'removed';
  return undefined;
}
