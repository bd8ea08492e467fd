/**
 * Why an image reference is not one the engine accepts, or undefined when it is. The grammar
 * is the distribution reference grammar Docker and Podman parse (`repo[:tag][@digest]`,
 * github.com/distribution/reference, reference.go/regexp.go), so `validate` refuses what
 * `apply` would otherwise send to the engine after creating networks (F195):
 *
 * - name: `[domain/]path`, at most 255 characters; the first component is a domain when it
 *   holds `.` or `:`, is `localhost`, or has an upper-case letter (and then must be a host);
 * - domain: host name components (letters, digits, inner `-`) joined by `.`, or `[IPv6]`,
 *   with an optional `:port`;
 * - path components: lower-case letters and digits, joined by `.`, `_`, `__` or runs of `-`;
 * - tag: `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`;
 * - digest: `algorithm:hex`, at least 32 hex digits (64 for sha256, 128 for sha512).
 */
export function imageRefProblem(ref: string): string | undefined {
  const at = ref.indexOf('@');
  const named = at === -1 ? ref : ref.slice(0, at);
  if (at !== -1) {
    const digest = digestProblem(ref.slice(at + 1));
    if (digest) return digest;
  }
  const { name, tag } = splitTag(named);
  if (tag !== undefined && !TAG.test(tag))
    return `tag "${tag}" is not valid: letters, digits, _ . - (up to 128), not starting with . or -`;
  if (name === '') return 'the repository name is empty';
  if (name.length > 255) return 'the repository name is longer than 255 characters';
  const slash = name.indexOf('/');
  const first = slash === -1 ? '' : name.slice(0, slash);
  const isDomain =
    slash !== -1 && (/[.:]/.test(first) || first === 'localhost' || first !== first.toLowerCase());
  if (isDomain && !DOMAIN.test(first)) return `"${first}" is not a registry host[:port]`;
  const path = isDomain ? name.slice(slash + 1) : name;
  for (const component of path.split('/')) {
    if (component === '') return 'the repository path has an empty component (// or a trailing /)';
    if (component !== component.toLowerCase()) return 'the repository name must be lower-case';
    if (!PATH_COMPONENT.test(component))
      return `"${component}" is not a repository path component: lower-case letters and digits, joined by . _ __ or -`;
  }
  return undefined;
}

const TAG = /^[\w][\w.-]{0,127}$/;
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = new RegExp(
  `^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?$`,
);
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const ALGORITHM = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*$/;
const DIGEST_LENGTH: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 };

/** `name[:tag]`: a `:` after the last `/` starts the tag (one before it is a registry port). */
function splitTag(named: string): { name: string; tag?: string } {
  const colon = named.lastIndexOf(':');
  if (colon === -1 || colon < named.lastIndexOf('/')) return { name: named };
  return { name: named.slice(0, colon), tag: named.slice(colon + 1) };
}

function digestProblem(digest: string): string | undefined {
  const colon = digest.indexOf(':');
  const algorithm = colon === -1 ? '' : digest.slice(0, colon);
  const hex = digest.slice(colon + 1);
  if (!ALGORITHM.test(algorithm) || !/^[a-fA-F0-9]{32,}$/.test(hex))
    return `digest "${digest}" is not algorithm:hex (such as sha256: and 64 hex digits)`;
  const length = DIGEST_LENGTH[algorithm];
  if (length !== undefined && hex.length !== length)
    return `a ${algorithm} digest has ${length} hex digits, not ${hex.length}`;
  return undefined;
}
