import type { IncomingMessage } from 'node:http';
import { basename, resolve } from 'node:path';
import { parseDelay } from '../../specs/validate/values.js';
import { BerthError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { ChangeOrigin } from '../watch/controller.js';
import { redactUrl } from './git-cli.js';
import { normaliseRepoUrl } from './git-mirror.js';
import type { WorkSource } from '../watch/work-reason.js';
import { GitSource, type GitRevision } from './git-source.js';
import { gitSourceStatus } from './source-status.js';
import { webhookSigned } from './webhook.js';

/** The `berth watch --git` flags (DESIGN.md "Git source"). */
export interface GitWatchFlags {
  git: string;
  ref?: string;
  path?: string;
  /** Poll period of a remote, e.g. `60s`. */
  interval?: string;
  webhookSecret?: string;
  verifySignatures?: boolean;
  allowedSigners?: string;
  hostRoot?: string;
}

/** What the watch command needs to run a controller on a git source. */
export interface GitWatch {
  source: GitSource;
  /** Controller options: read `path` inside the stable checkout, host paths under the host root. */
  controller: {
    dir: string;
    cwd: string;
    hostRoot: { checkout: string; hostRoot: string };
    watchFolder: false;
    origin: () => ChangeOrigin;
  };
  /** `POST /api/v1/webhook`: 202 and a check now, or 401 without a good signature. */
  webhook: ((headers: IncomingMessage['headers'], body: Buffer) => number) | undefined;
  /** Why there is no webhook (no secret was given), for the route's answer. */
  webhookOff: string | undefined;
  status: () => ReturnType<typeof gitSourceStatus>;
  /**
   * The source as one of the controller's work sources: each relevant revision is remembered
   * (for history's commit) and pushed as `manifest-changed`; the first check runs in `start`.
   */
  workSource: WorkSource;
}

/** The repository's name (`app` for `…/app.git` or `~/src/app`): a git watch's default project. */
export function gitDefaultProject(git: string, cwd: string): string {
  return repoName(normaliseRepoUrl(git, cwd));
}

/** Where a git watch runs: its project, state folder, log, and the controller's applied commit. */
export interface GitWatchContext {
  cwd: string;
  stateDir: string;
  project: string;
  logger?: Logger;
  /** The commit whose set the controller runs (a refused commit's reason names it; F35). */
  appliedCommit?: () => string | undefined;
}

/**
 * Validates the git flags and builds the source for the context's project, without touching
 * the network yet. A source that stops being ready (a failed check, a refused commit) is
 * logged once as a warning, its recovery once as info. Throws E_USAGE for flags that do not
 * fit together.
 */
export function prepareGitWatch(flags: GitWatchFlags, context: GitWatchContext): GitWatch {
  const { cwd, stateDir, project, logger } = context;
  const intervalMs = parseDelay(flags.interval ?? '60s');
  if (intervalMs === undefined)
    throw new BerthError('E_USAGE', `--interval ${flags.interval} is not a duration (e.g. 60s)`);
  if (flags.verifySignatures && !flags.allowedSigners)
    throw new BerthError('E_USAGE', '--verify-signatures needs --allowed-signers FILE');
  const url = normaliseRepoUrl(flags.git, cwd);
  const path = cleanPath(flags.path);
  let current: GitRevision | undefined;
  const source = new GitSource({
    url,
    ...(flags.ref ? { ref: flags.ref } : {}),
    path,
    intervalMs,
    stateDir,
    project,
    ...(context.appliedCommit ? { appliedCommit: context.appliedCommit } : {}),
    onChange: (now, before) => {
      const source = redactUrl(url);
      if (now.status === 'False')
        logger?.warn(
          { source, reason: now.reason, consecutiveFailures: now.consecutiveFailures },
          'git source not ready; keeping the last good commit',
        );
      else if (now.status === 'True' && before.status === 'False')
        logger?.info({ source, revision: now.revision }, 'git source ready again');
    },
    ...(flags.verifySignatures && flags.allowedSigners
      ? { allowedSigners: resolve(cwd, flags.allowedSigners) }
      : {}),
  });
  const root = resolve(source.checkoutRoot);
  const settings = { url, ref: flags.ref, path };
  const prepared: GitWatch = {
    source,
    controller: {
      dir: path,
      cwd: root,
      hostRoot: { checkout: root, hostRoot: resolve(cwd, flags.hostRoot ?? '.') },
      watchFolder: false,
      origin: () => ({
        sources: [`${redactUrl(url)}${path === '.' ? '' : `//${path}`}`],
        ...(current
          ? { commit: { sha: current.sha, author: current.author, subject: current.subject } }
          : {}),
      }),
    },
    webhook: flags.webhookSecret
      ? (headers, body) => {
          if (!webhookSigned(headers, body, flags.webhookSecret!)) return 401;
          void source.checkNow();
          return 202;
        }
      : undefined,
    webhookOff: flags.webhookSecret
      ? undefined
      : 'the webhook is off: berth watch --git needs --webhook-secret S (or BERTH_WEBHOOK_SECRET) to accept one; until then the repository is checked every --interval',
    status: () => gitSourceStatus(settings, source.condition()),
    workSource: {
      name: 'git',
      start: (sink) =>
        source.start({
          async revision(revision) {
            current = revision;
            await sink.push({
              kind: 'manifest-changed',
              paths: [revision.dir],
              revision: revision.sha,
            });
          },
        }),
      stop: () => source.stop(),
    },
  };
  return prepared;
}

function cleanPath(path: string | undefined): string {
  const cleaned = (path ?? '.').replace(/^\.\/+/, '').replace(/\/+$/, '');
  if (cleaned.split('/').includes('..') || cleaned.startsWith('/'))
    throw new BerthError('E_USAGE', `--path ${path} must be a folder inside the repository`);
  return cleaned || '.';
}

function repoName(url: string): string {
  const last = basename(
    new URL(url.includes('://') ? url : `ssh://${url.replace(':', '/')}`).pathname,
  );
  return last.replace(/\.git$/, '') || 'default';
}
