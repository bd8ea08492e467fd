import { LABEL } from '../../labels.js';
import type { EngineEvent, Labels } from '../engine.js';

/**
 * Docker's event stream, read as data: a line splitter that survives chunks cut anywhere,
 * the mapping of one raw event, and the project filter.
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
  return {
    type: type as EngineEvent['type'],
    // Health changes arrive as "health_status: healthy"; exec events carry the command.
    action: actionOf(type, raw.Action ?? ''),
    id,
    ...(name !== undefined ? { name } : {}),
    labels,
    time,
    attributes,
  };
}

/** Podman reports a removed container or volume as `remove` where Docker says `destroy`. */
function actionOf(type: string, action: string): string {
  return action === 'remove' && (type === 'container' || type === 'volume') ? 'destroy' : action;
}

/**
 * Whether an event belongs to the project. Container events carry the container's labels;
 * network and volume events carry none (ENGINE-NOTES), so they match by the `<project>-`
 * engine-name prefix. With no project, any berth container and every network/volume pass.
 */
export function eventInProject(event: EngineEvent, project: string | undefined): boolean {
  if (event.type === 'container') {
    const owner = event.labels[LABEL.project];
    return project === undefined ? owner !== undefined : owner === project;
  }
  if (project === undefined) return true;
  return (event.name ?? '').startsWith(`${project}-`);
}
