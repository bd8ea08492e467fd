import type { DockerCalls } from './docker-calls.js';
import { statusOf, toEngineError } from './docker-errors.js';
import { FrameDemuxer } from './docker-streams-demux.js';

/**
 * The last `lines` lines a container wrote, for a failure reason (F560): one inspect (a TTY
 * container's log is one raw stream, any other is multiplexed into 8-byte-header frames:
 * docker-streams-demux.ts) and one `GET /containers/{id}/logs?tail=N`, read through the
 * plain client (dockerode's `logs()` JSON-parses a log that looks like JSON). Frames are
 * joined in the order the engine sent them, stdout and stderr alike. Undefined when the
 * engine has no such container (404).
 */
export async function tailDockerLogs(
  d: DockerCalls,
  id: string,
  lines: number,
): Promise<string | undefined> {
  try {
    const info = await d.reads.getContainer(id).inspect();
    const bytes = await d.reads.logTail(id, lines);
    return (info.Config?.Tty ? bytes : demultiplexed(bytes)).toString('utf8');
  } catch (e) {
    if (statusOf(e) === 404) return undefined;
    throw toEngineError(e, d.address, 'logs', id);
  }
}

/** The payloads of a multiplexed body, in order. Pure. */
export function demultiplexed(body: Buffer): Buffer {
  const payloads: Buffer[] = [];
  new FrameDemuxer((_stream, payload) => payloads.push(payload)).push(body);
  return Buffer.concat(payloads);
}
