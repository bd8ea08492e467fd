import { createHash } from 'node:crypto';

/**
 * The bytes of Secrets and Configs, in memory only, by digest. The model carries the
 * digest (specs/model.ts FileValueSpec); whoever writes the file for a mount asks here.
 * Nothing here is ever serialised: the value of a secret must not reach records, plan,
 * status, history, labels or logs (DESIGN.md, "More of the container model").
 */
const values = new Map<string, Buffer>();
/** The digests of the values read for a Secret (or a build secret): never shown, anywhere. */
const secretDigests = new Set<string>();

/** Whose value it is: a Secret's (a build secret's too) is hidden wherever output quotes it. */
export type ValueKind = 'secret' | 'config';

/** `sha256:` and 16 hex digits of the bytes: enough to notice a change, never the value. */
export function digestOf(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex').slice(0, 16)}`;
}

/**
 * Keeps the bytes for later writing; returns their digest. A `secret` value is also one that
 * every excerpt of a container's output hides from then on (knownSecretTexts).
 */
export function rememberValue(bytes: Buffer, kind: ValueKind): string {
  const digest = digestOf(bytes);
  values.set(digest, bytes);
  if (kind === 'secret') secretDigests.add(digest);
  return digest;
}

/** The bytes read for this digest in this process, if any. */
export function valueOf(digest: string): Buffer | undefined {
  return values.get(digest);
}

/**
 * Every Secret value this process has read (a manifest's, a build secret's) or recovered (from
 * berth's files for a project's mounts: controller/records/mounted-secrets.ts), as text: what no line
 * quoting a container's output may show (F540, F562). One list for the whole process, so that
 * no caller can forget to pass it (controller/lifecycle/output-excerpt.ts reads it itself).
 */
/**
 * The shortest secret text searched for (and masked) in a container's output. A search for a
 * value of one to three characters (`1`, `ab`, `yes`) turns every such substring of a log into
 * `***`: the quote is unreadable, and what got masked tells the secret's length and, by the
 * words it broke, the value (F623). Tools that mask by text search draw a line too: GitLab
 * refuses to mask a CI variable under 8 characters, NixCI ignores values under 5; GitHub
 * Actions masks every value. berth takes 4 (counted without surrounding whitespace): the least
 * that keeps a log readable, so that as many real secrets as can be are still searched for.
 * This search only guards against a container that prints its own secret: where berth itself
 * shows a secret's field (diff's `value (changed)`, plan, status, history, describe), the
 * value is never written at all, whatever its length. A shorter value is warned of when read
 * (F764).
 */
export const MIN_MASKED_CHARS = 4;

export function knownSecretTexts(): string[] {
  return [...secretDigests].flatMap((digest) => {
    const bytes = values.get(digest);
    return bytes ? [bytes.toString('utf8')] : [];
  });
}
