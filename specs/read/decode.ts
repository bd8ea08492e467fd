import { readFile, stat } from 'node:fs/promises';
import type { Problem } from '../problems.js';
import { ioMessage } from './collect.js';
import type { ManifestFile } from './collect.js';

/** Manifests are hand-written; anything bigger is a mistake or an attack. */
export const MAX_MANIFEST_BYTES = 1024 * 1024;

export type DecodeResult = { text: string } | { problem: Problem };

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Turns raw bytes into text, refusing binary (NUL bytes) and invalid UTF-8. */
export function decodeManifest(bytes: Uint8Array, file: string): DecodeResult {
  const at = { file, line: 1, column: 1 };
  if (bytes.length > MAX_MANIFEST_BYTES) return { problem: tooLarge(bytes.length, file) };
  const nul = bytes.indexOf(0);
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    return {
      problem: { ...at, code: 'E_FILE_ENCODING', message: 'the file is not valid UTF-8 text' },
    };
  }
  if (nul >= 0) {
    const before = text.slice(0, text.indexOf('\0')).split('\n');
    return {
      problem: {
        file,
        line: before.length,
        column: (before[before.length - 1]?.length ?? 0) + 1,
        code: 'E_FILE_ENCODING',
        message: 'the file holds a NUL byte; it looks binary, not YAML text',
      },
    };
  }
  return { text: text.startsWith('\uFEFF') ? text.slice(1) : text };
}

function tooLarge(size: number, file: string): Problem {
  return {
    file,
    line: 1,
    column: 1,
    code: 'E_FILE_TOO_LARGE',
    message: `the file is ${size} bytes; manifests are limited to ${MAX_MANIFEST_BYTES} bytes (1 MiB)`,
  };
}

/** Reads one manifest file (stdin text given by the caller), checking size before reading it all. */
export async function readManifest(file: ManifestFile, stdin?: string): Promise<DecodeResult> {
  if (file.absolute === '-') return decodeManifest(Buffer.from(stdin ?? '', 'utf8'), file.display);
  try {
    const info = await stat(file.absolute);
    if (info.size > MAX_MANIFEST_BYTES) return { problem: tooLarge(info.size, file.display) };
    return decodeManifest(await readFile(file.absolute), file.display);
  } catch (error) {
    const problem: Problem = {
      file: file.display,
      line: 1,
      column: 1,
      code: 'E_IO',
      message: ioMessage(file.display, error),
    };
    return { problem };
  }
}
