import { createHmac, timingSafeEqual } from 'node:crypto';

/** Request headers as node:http gives them (lower-case names). */
export type WebhookHeaders = Record<string, string | string[] | undefined>;

/**
 * Whether a webhook request is signed with `secret` (DESIGN.md "Git source"), in any of the
 * three forms berth accepts:
 * - GitHub: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>`;
 * - GitLab: `X-Gitlab-Token: <secret>`;
 * - generic: `X-Berth-Signature: sha256=<hex HMAC-SHA256 of the body>`.
 * Comparisons take constant time. A request with none of them is not signed.
 */
export function webhookSigned(headers: WebhookHeaders, body: Buffer, secret: string): boolean {
  const github = header(headers, 'x-hub-signature-256');
  if (github !== undefined) return hmacMatches(github, body, secret);
  const generic = header(headers, 'x-berth-signature');
  if (generic !== undefined) return hmacMatches(generic, body, secret);
  const gitlab = header(headers, 'x-gitlab-token');
  if (gitlab !== undefined) return sameBytes(Buffer.from(gitlab), Buffer.from(secret));
  return false;
}

/** `sha256=<hex>` for `body` under `secret`, as senders compute it. */
export function signBody(body: Buffer | string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

function hmacMatches(given: string, body: Buffer, secret: string): boolean {
  return sameBytes(Buffer.from(given.trim().toLowerCase()), Buffer.from(signBody(body, secret)));
}

function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

function header(headers: WebhookHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}
