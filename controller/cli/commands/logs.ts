import { BerthError } from '../../errors.js';
import type { CliContext, CommonOptions } from '../context.js';
import { cliSessionDeps, runLogSession } from '../logs-session.js';
import { connectStreams, requireContainers, unknownProject } from '../project-containers.js';
import { resolveProjectName } from '../project-name.js';
import { interruptSignal } from '../attach.js';

export interface LogsOptions extends CommonOptions {
  follow?: boolean;
  since?: string;
  tail?: string;
  timestamps?: boolean;
  selector?: string[];
}

/**
 * `berth logs [NAME…] [-f] [--since D|TIME] [--tail N] [-t] [-l key=value]`: the logs of
 * declared containers, `name | ` prefixed and interleaved by time; stderr lines go to
 * stderr. Exit 0; 1 for a name with no container, or a project berth knows nothing of.
 */
export async function run(ctx: CliContext, names: string[], options: LogsOptions): Promise<number> {
  const since = options.since === undefined ? undefined : parseSince(options.since, ctx.now());
  const tail = parseTail(options.tail);
  const project = resolveProjectName(options.project, [], ctx.cwd, ctx.env);
  const engine = await ctx.engine();
  const selector = options.selector ?? [];
  const containers = await requireContainers(ctx, engine, project, names, selector);
  const every = names.length === 0 && selector.length === 0;
  const unknown = every ? await unknownProject(ctx, project, containers.size) : undefined;
  if (unknown) throw unknown;
  const streams = await connectStreams(ctx);
  const interrupt = interruptSignal();
  try {
    await runLogSession(
      cliSessionDeps(ctx, engine, streams, project),
      containers,
      {
        follow: Boolean(options.follow),
        ...(since !== undefined ? { since } : {}),
        ...(tail !== undefined ? { tail } : {}),
        timestamps: Boolean(options.timestamps),
        color: ctx.color,
        selector,
        names,
        untilExited: true,
      },
      interrupt.signal,
    );
  } finally {
    interrupt.dispose();
  }
  return 0;
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * `--since` as the engine wants it (Unix seconds): a duration back from now (`10m`,
 * `1h30m`, `90s`, as Go writes them), Unix seconds, or a date/time (RFC 3339).
 */
export function parseSince(raw: string, now: number): string {
  const text = raw.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return text;
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)];
  if (parts.length && parts.map((p) => p[0]).join('') === text) {
    const ms = parts.reduce((sum, p) => sum + Number(p[1]) * (UNIT_MS[p[2]!] ?? 0), 0);
    return ((now - ms) / 1000).toFixed(3);
  }
  const time = Date.parse(text);
  if (Number.isNaN(time)) {
    throw new BerthError('E_USAGE', `--since ${raw}: not a duration (10m, 1h30m) or a time`);
  }
  return (time / 1000).toFixed(3);
}

/** `--tail N` or `--tail all` (undefined: everything). */
export function parseTail(raw: string | undefined): number | undefined {
  if (raw === undefined || raw === 'all') return undefined;
  if (!/^\d+$/.test(raw)) throw new BerthError('E_USAGE', `--tail ${raw}: not a number of lines`);
  return Number(raw);
}
