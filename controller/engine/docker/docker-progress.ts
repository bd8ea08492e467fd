import type { ProgressListener } from '../engine.js';
import { jsonLines } from './docker-events.js';

/** One line of a pull or build progress stream. */
interface ProgressLine {
  status?: string;
  progress?: string;
  id?: string;
  stream?: string;
  error?: string;
  errorDetail?: { message?: string };
  aux?: { ID?: string };
}

/**
 * Follows a pull/build JSON progress stream to its end. Progress goes to `onProgress` as
 * readable text; the first `error`/`errorDetail` line is returned (the engine answers 200
 * and reports the failure inside the stream). Rejects only when the stream itself breaks.
 */
export function followProgress(
  stream: NodeJS.ReadableStream,
  onProgress: ProgressListener | undefined,
): Promise<{ error?: string; auxId?: string }> {
  return new Promise((resolve, reject) => {
    let error: string | undefined;
    let auxId: string | undefined;
    const lines = jsonLines((value) => {
      const line = value as ProgressLine;
      const failure = line.errorDetail?.message ?? line.error;
      if (failure !== undefined) error ??= failure.trim();
      if (line.aux?.ID) auxId = line.aux.ID;
      const text = progressText(line);
      if (text && onProgress) onProgress(text);
    });
    stream.on('data', (chunk: Buffer | string) => lines.push(chunk));
    stream.on('error', (e) => reject(e));
    stream.on('end', () => {
      lines.end();
      resolve({
        ...(error !== undefined ? { error } : {}),
        ...(auxId !== undefined ? { auxId } : {}),
      });
    });
  });
}

function progressText(line: ProgressLine): string | undefined {
  if (line.stream !== undefined) return line.stream.replace(/\n$/, '') || undefined;
  if (line.status === undefined) return undefined;
  return [line.id, line.status, line.progress].filter(Boolean).join(' ');
}
