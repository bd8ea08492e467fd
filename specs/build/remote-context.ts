import { createHash } from 'node:crypto';
import { canonicalJSON } from '../canonical-json.js';

/**
 * Build contexts the engine fetches itself instead of receiving a tar from berth (POST /build
 * `remote`): a git repository or an http(s) URL. The prefixes are Compose's
 * (compose-go paths/context.go `isRemoteContext`, after BuildKit's dockerui
 * `DetectGitContext`), so what `docker compose build` clones, berth hands to the engine too.
 */
const REMOTE_PREFIXES = ['https://', 'http://', 'git://', 'ssh://', 'github.com/', 'git@'];

/**
 * The name an inline Dockerfile (`build.dockerfileInline`) is sent under inside the context,
 * as the docker CLI sends a Dockerfile read from stdin under a `.dockerfile.*` name of its own.
 */
export const INLINE_DOCKERFILE = '.dockerfile.inline';

/**
 * Whether a `build.context` names a remote context rather than a folder. Anything else with
 * `://` (buildx's `docker-image://`, `oci-layout://`) is no context the engine's build API
 * takes: {@link remoteContextProblem} names it.
 */
export function isRemoteContext(context: string): boolean {
  return context.includes('://') || REMOTE_PREFIXES.some((p) => context.startsWith(p));
}

/**
 * Why a remote context cannot be handed to the engine, or undefined when it can: a git
 * repository `https://host/path.git#ref:subdir` (also `http://`, `git://`, `ssh://`), the
 * scp form `git@host:path`, `github.com/owner/repo`, or an http(s) URL of a tarball or a
 * Dockerfile. Only the form is checked: nothing is fetched while validating.
 */
export function remoteContextProblem(context: string): string | undefined {
  const shown = JSON.stringify(context);
  if (/\s/.test(context)) return `${shown} is not a URL: it holds white space`;
  if (context.startsWith('git@'))
    return /^git@[^:/#]+:[^#]+/.test(context)
      ? undefined
      : `${shown} is not a git address: write git@HOST:PATH (e.g. git@github.com:owner/repo.git)`;
  if (context.startsWith('github.com/'))
    return /^github\.com\/[^/#]+\/[^#]+/.test(context)
      ? undefined
      : `${shown} names no repository: write github.com/OWNER/REPO`;
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(context)?.[1]?.toLowerCase() ?? '';
  if (!['https', 'http', 'git', 'ssh'].includes(scheme))
    return `${shown}: the engine builds from a folder, a git repository (https://, http://, git://, ssh://, git@) or an http(s) URL, not from ${scheme}://`;
  let url: URL;
  try {
    url = new URL(context);
  } catch {
    return `${shown} is not a URL`;
  }
  if (url.hostname === '') return `${shown} names no host`;
  if (url.pathname === '' || url.pathname === '/') return `${shown} names no repository or file`;
  return undefined;
}

/**
 * The content hash of a remote build: the URL as written (with its `#ref:subdir`) and the
 * Dockerfile's name, since the content is not local. A ref that moves (a branch) is not
 * followed: the image is rebuilt when the declaration changes (or its args: build-key.ts).
 */
export function remoteContentHash(url: string, dockerfile: string): string {
  return createHash('sha256')
    .update(canonicalJSON({ remote: url, dockerfile }))
    .digest('hex');
}
