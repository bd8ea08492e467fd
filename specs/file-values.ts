import { createHash } from 'node:crypto';
import type { DesiredObject } from './model.js';

/**
 * The bytes of Secrets and Configs, in memory only, by digest. The model carries the
 * digest (specs/model.ts FileValueSpec); whoever writes the file for a mount asks here.
 * Nothing here is ever serialised: the value of a secret must not reach records, plan,
 * status, history, labels or logs (DESIGN.md, "More of the container model").
 */
const values = new Map<string, Buffer>();

/** `sha256:` and 16 hex digits of the bytes: enough to notice a change, never the value. */
export function digestOf(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex').slice(0, 16)}`;
}

/** Keeps the bytes for later writing; returns their digest. */
export function rememberValue(bytes: Buffer): string {
  const digest = digestOf(bytes);
  values.set(digest, bytes);
  return digest;
}

/** The bytes read for this digest in this process, if any. */
export function valueOf(digest: string): Buffer | undefined {
  return values.get(digest);
}

/**
 * The values of the Secrets among `desired` read in this process, as text: what a line quoting
 * a container's output (a health probe's) must hide (F540). Configs are not secret.
 */
export function secretTexts(desired: readonly DesiredObject[]): string[] {
  return desired.flatMap((o) => {
    const bytes = o.kind === 'Secret' ? valueOf(o.spec.digest) : undefined;
    return bytes ? [bytes.toString('utf8')] : [];
  });
}
