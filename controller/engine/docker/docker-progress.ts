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
  aux?: { ID?: string; Digest?: string };
}

/** A push's closing status line, Docker's and Podman's alike: `TAG: digest: sha256:… size: N`. */
const PUSHED_DIGEST = /^\S*: digest: (sha256:[0-9a-f]{64}) size: \d+$/;

/**
 * Follows a pull/build/push JSON progress stream to its end. Progress goes to `onProgress`
 * as readable text; the first `error`/`errorDetail` line is returned (the engine answers 200
 * and reports the failure inside the stream), and a push's manifest digest as the registry
 * took it: Docker's `aux.Digest`, else the `TAG: digest: …` status line (all Podman 4.3.1's
 * compatible push sends). Rejects only when the stream itself breaks.
 */
export function followProgress(
  stream: NodeJS.ReadableStream,
  onProgress: ProgressListener | undefined,
): Promise<{ error?: string; auxId?: string; digest?: string }> {
  return new Promise((resolve, reject) => {
    let error: string | undefined;
    let auxId: string | undefined;
    let digest: string | undefined;
    const lines = jsonLines((value) => {
      const line = value as ProgressLine;
      const failure = line.errorDetail?.message ?? line.error;
      if (failure !== undefined) error ??= failure.trim();
      if (line.aux?.ID) auxId = line.aux.ID;
      digest = line.aux?.Digest ?? PUSHED_DIGEST.exec(line.status ?? '')?.[1] ?? digest;
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
        ...(digest !== undefined ? { digest } : {}),
      });
    });
  });
}

function progressText(line: ProgressLine): string | undefined {
  if (line.stream !== undefined) return line.stream.replace(/\n$/, '') || undefined;
  if (line.status === undefined) return undefined;
  return [line.id, line.status, line.progress].filter(Boolean).join(' ');
}
