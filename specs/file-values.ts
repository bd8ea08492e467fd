import { createHash } from 'node:crypto';

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
