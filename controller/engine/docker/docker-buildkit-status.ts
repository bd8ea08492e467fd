import protobuf from 'protobufjs';

/**
 * BuildKit's progress as the engine streams it from POST /build?version=2: lines
 * `{"id":"moby.buildkit.trace","aux":"<base64>"}` whose payload is a
 * `moby.buildkit.v1.StatusResponse` (buildkit api/services/control/control.proto):
 * vertexes = 1, statuses = 2, logs = 3, warnings = 4. Only what a person reads is decoded:
 * each step's name when it starts (or `CACHED`), the output of its commands, warnings.
 */
export const BUILDKIT_TRACE_ID = 'moby.buildkit.trace';

interface Vertex {
  digest: string;
  name: string;
  cached: boolean;
  started: boolean;
  completed: boolean;
}

/** Turns successive status messages of one build into readable lines, each step named once. */
export class BuildKitStatus {
  private readonly named = new Set<string>();
  /** Partial output line per vertex (a log message may end mid-line). */
  private readonly partial = new Map<string, string>();

  /** The readable lines of one base64 StatusResponse; a payload that does not decode gives none. */
  lines(aux: string): string[] {
    const out: string[] = [];
    try {
      const reader = protobuf.Reader.create(Buffer.from(aux, 'base64'));
      while (reader.pos < reader.len) {
        const tag = reader.uint32();
        const field = tag >>> 3;
        if (field === 1) this.vertex(readVertex(reader.bytes()), out);
        else if (field === 3) this.log(reader.bytes(), out);
        else if (field === 4) out.push(`WARNING: ${readWarning(reader.bytes())}`);
        else reader.skipType(tag & 7);
      }
    } catch {
      // Not a StatusResponse this decoder understands: progress only, never fatal.
    }
    return out;
  }

  private vertex(v: Vertex, out: string[]): void {
    if (!v.name || this.named.has(v.digest) || !(v.started || v.cached)) return;
    this.named.add(v.digest);
    out.push(v.cached ? `CACHED ${v.name}` : v.name);
  }

  private log(message: Uint8Array, out: string[]): void {
    const reader = protobuf.Reader.create(message);
    let vertex = '';
    let text = '';
    while (reader.pos < reader.len) {
      const tag = reader.uint32();
      if (tag >>> 3 === 1) vertex = reader.string();
      else if (tag >>> 3 === 4) text = Buffer.from(reader.bytes()).toString('utf8');
      else reader.skipType(tag & 7);
    }
    const parts = ((this.partial.get(vertex) ?? '') + text).split('\n');
    this.partial.set(vertex, parts.pop() ?? '');
    for (const line of parts) if (line.trim()) out.push(line.trimEnd());
  }
}

function readVertex(bytes: Uint8Array): Vertex {
  const reader = protobuf.Reader.create(bytes);
  const v: Vertex = { digest: '', name: '', cached: false, started: false, completed: false };
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    switch (tag >>> 3) {
      case 1:
        v.digest = reader.string();
        break;
      case 3:
        v.name = reader.string();
        break;
      case 4:
        v.cached = reader.bool();
        break;
      case 5:
        reader.skipType(tag & 7);
        v.started = true;
        break;
      case 6:
        reader.skipType(tag & 7);
        v.completed = true;
        break;
      default:
        reader.skipType(tag & 7);
    }
  }
  return v;
}

/** VertexWarning.short (field 3). */
function readWarning(bytes: Uint8Array): string {
  const reader = protobuf.Reader.create(bytes);
  let short = '';
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    if (tag >>> 3 === 3) short = Buffer.from(reader.bytes()).toString('utf8');
    else reader.skipType(tag & 7);
  }
  return short.trim();
}
