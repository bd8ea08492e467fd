import { EngineError } from '../engine.js';

/**
 * Reading Docker's failures. Together with docker-engine.ts this is the only code that
 * knows the engine's HTTP status codes and message texts.
 */

/** What docker-modem attaches to a failed request. */
interface ModemError {
  statusCode?: number;
  json?: { message?: string } | string | null;
  code?: string;
  message?: string;
}

/** Socket-level failures that mean "nobody answers at that address". */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ENOENT',
  'EACCES',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'EAI_AGAIN',
  // The TLS handshake of a tcp+TLS endpoint failed: the engine is not reachable as configured.
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED',
  'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE',
  // `ssh … docker system dial-stdio` ended before answering (docker-ssh.ts).
  'E_SSH_DIAL',
]);

export function statusOf(e: unknown): number | undefined {
  const status = (e as ModemError | undefined)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** The engine's own message, without docker-modem's "(HTTP code …)" wrapping. */
export function engineMessage(e: unknown): string {
  const err = e as ModemError | undefined;
  if (err?.json && typeof err.json === 'object' && err.json.message) return err.json.message.trim();
  if (typeof err?.json === 'string' && err.json.trim()) return err.json.trim();
  // docker-modem wraps streamed answers as "(HTTP code 500) server error - <message> ".
  return (err?.message ?? String(e)).replace(/^\(HTTP code \d+\) [^-]*- /, '').trim();
}

export function isUnreachable(e: unknown): boolean {
  const code = (e as ModemError | undefined)?.code;
  return statusOf(e) === undefined && typeof code === 'string' && UNREACHABLE_CODES.has(code);
}

export function unreachableError(address: string, e: unknown, operation: string): EngineError {
  const err = e as ModemError | undefined;
  const reason = (err?.code && UNREACHABLE_WORDS[err.code]) ?? rawReason(e);
  return new EngineError(
    'E_ENGINE_UNREACHABLE',
    `cannot reach the engine at ${address}: ${reason}`,
    {
      operation,
      cause: e,
    },
  );
}

const START_OR_NAME =
  'is the engine running? (start it: systemctl start docker, or dockerd; or name another with --engine, DOCKER_HOST or --context)';

/** The socket failures a user meets most, said in words with what to do (F819). */
const UNREACHABLE_WORDS: Record<string, string> = {
  ENOENT: `no engine socket there: ${START_OR_NAME}`,
  ECONNREFUSED: `nothing answers there: ${START_OR_NAME}`,
  EACCES:
    'permission denied on the engine socket: run berth as root or as a member of the docker group',
};

function rawReason(e: unknown): string {
  const err = e as ModemError | undefined;
  return err?.code ? `${err.code} ${err.message ?? ''}`.trim() : engineMessage(e);
}

/**
 * Podman (4.3) fails a whole list with 500 when an image it reads for an entry is removed
 * meanwhile. The image list: "retrieving size of image …", "checking if image … is
 * dangling" (cause "image not known"), "retrieving label for image …: you may need to
 * remove the image to resolve the error: … size is not known"; the container list, for a
 * container whose image a forced removal took before the container: "locating image with
 * ID …: image not known" (issue 17: seen from observes while other projects removed images,
 * and reproduced by listing while building and removing images). Reading the list again
 * gives the snapshot without it.
 */
export function isImageGoneWhileListing(e: unknown): boolean {
  return (
    statusOf(e) === 500 &&
    /image not known|you may need to remove the image to resolve the error/i.test(engineMessage(e))
  );
}

/**
 * Podman (4.3) answers 500 with these causes where Docker answers 409 (ENGINE-NOTES.md,
 * "Podman"): they are conflicts, never hiccups worth a retry.
 */
const CONFLICT_CAUSES =
  /is already in use|already exists|container state improper|is already connected to network|network is being used|is being used by/i;

/** The typed meaning of a failed answer's status (and, for 500, its cause). */
function codeOf(status: number | undefined, message: string): EngineError['code'] {
  if (status === 404) return 'E_NOT_FOUND';
  if (status === 409) return 'E_CONFLICT';
  if (status === 500 && CONFLICT_CAUSES.test(message)) return 'E_CONFLICT';
  return 'E_ENGINE';
}

/**
 * Generic mapping: 404 → E_NOT_FOUND, 409 (or Podman's 500 with a conflict cause) →
 * E_CONFLICT, no answer → unreachable, else E_ENGINE.
 */
export function toEngineError(
  e: unknown,
  address: string,
  operation: string,
  target?: string,
): EngineError {
  if (e instanceof EngineError) return e;
  if (isUnreachable(e)) return unreachableError(address, e, operation);
  const status = statusOf(e);
  const raw = engineMessage(e);
  const message = plainEngineMessage(raw);
  const what = target ? `${operation} ${target}` : operation;
  const portInUse = hostPortInUse(raw);
  return new EngineError(codeOf(status, message), `${what}: ${message}`, {
    operation,
    ...(target !== undefined ? { target } : {}),
    ...(status !== undefined ? { status } : {}),
    ...(portInUse ? { portInUse } : {}),
    cause: e,
  });
}

/** Why a registry refused a pull, in the words DESIGN.md and issue 8 ask for. */
export function pullReason(message: string): string {
  if (/unauthori[sz]ed|authentication required|no basic auth|denied|forbidden/i.test(message)) {
    return 'unauthorized';
  }
  // Checked before "not found": a DNS failure reads "lookup …: no such host".
  if (
    /dial tcp|lookup |no such host|connection refused|i\/o timeout|timeout|unreachable/i.test(
      message,
    )
  ) {
    return 'registry unreachable';
  }
  if (/not found|manifest unknown|does not exist|no such/i.test(message)) return 'not found';
  return 'failed';
}

/**
 * Engine messages a user can act on, in berth's words (issue 13): a host port another
 * process or container holds is "host port 127.0.0.1:8080 is in use". Others pass through.
 */
export function plainEngineMessage(message: string): string {
  const port = hostPortInUse(message);
  if (port) return `host port ${port.hostIP}:${port.hostPort} is in use`;
  return message;
}

/** The host address and port the engine could not bind, from its message; else undefined. */
function hostPortInUse(message: string): { hostIP: string; hostPort: number } | undefined {
  const port =
    /Bind for (\S+):(\d+) failed: port is already allocated/.exec(message) ??
    /listen (?:tcp|udp|sctp)[46]? (\S+):(\d+): bind: address already in use/.exec(message);
  return port ? { hostIP: port[1] ?? '', hostPort: Number(port[2]) } : undefined;
}

/**
 * Why a network cannot be removed, from its inspect answer: "network N is in use by
 * containers a, b", naming only those `exists` says are there. With none there (the network
 * read, no container of it left), it is the engine's own fault (moby#42119: after many
 * containers on a network were stopped and removed at once, it may keep an endpoint of one that
 * is gone; `network disconnect -f` and `network prune` do not clear it, only a restart of the
 * engine does), said plainly with what to do.
 */
export function networkInUseMessage(
  name: string,
  inspect: unknown,
  exists: (id: string) => boolean = () => true,
): string {
  const names = networkUsers(inspect, exists);
  if (names.length)
    return `network ${name} is in use by container${names.length === 1 ? '' : 's'} ${names.join(', ')}`;
  if (!inspect) return `network ${name} is in use`;
  return (
    `network ${name} is in use although no container is attached to it: the engine kept a stale ` +
    `endpoint (a Docker bug, moby#42119) that only restarting the engine clears; restart it ` +
    `(sudo systemctl restart docker, or restart Docker Desktop), then run this command again`
  );
}

/**
 * The engine names of the containers a network's inspect answer lists, sorted, keeping only
 * those `exists` says are there (a stale endpoint of one gone is no user: moby#42119).
 */
export function networkUsers(
  inspect: unknown,
  exists: (id: string) => boolean = () => true,
): string[] {
  const containers =
    (inspect as { Containers?: Record<string, { Name?: string }> } | undefined)?.Containers ?? {};
  return Object.entries(containers)
    .filter(([id]) => exists(id))
    .map(([, c]) => c.Name ?? '?')
    .sort();
}
