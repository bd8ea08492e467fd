import { parseDuration } from '../../specs/validate/values.js';
import type { CliContext } from '../cli/context.js';
import { resolveProjectName } from '../cli/project-name.js';
import { FrameDemuxer } from '../engine/docker/docker-streams-demux.js';
import { BerthError } from '../errors.js';
import { LABEL } from '../labels.js';
import { connectSwarm } from './swarm-apply.js';

/** The flags of `logs` that `--backend swarm` reads. */
export interface SwarmLogsOptions {
  project?: string;
  follow?: boolean;
  since?: string;
  tail?: string;
  timestamps?: boolean;
}

/**
 * `berth logs [NAME…] --backend swarm`: the service logs of declared containers (every
 * task, on whichever node it runs), each line prefixed `name | `. Without `-f` the lines
 * of all services are merged by time; with it they are written as they come. Unknown
 * names exit 1.
 */
export async function swarmLogsCommand(
  ctx: CliContext,
  names: string[],
  options: SwarmLogsOptions,
): Promise<number> {
  const project = resolveProjectName(options.project, [], ctx.cwd, ctx.env);
  const engine = await connectSwarm(ctx);
  const services = (await engine.observe(project)).services;
  const byName = new Map(services.map((s) => [s.labels[LABEL.name] ?? s.name, s]));
  const unknown = names.filter((n) => !byName.has(n));
  if (unknown.length)
    throw new BerthError(
      'E_UNKNOWN_OBJECT',
      `no service of project ${project} for: ${unknown.join(', ')}`,
    );
  const chosen = names.length ? names : [...byName.keys()].sort();
  const width = Math.max(0, ...chosen.map((n) => n.length));
  const sinceMs = options.since ? parseDuration(options.since) : undefined;
  const lines: { time: string; text: string }[] = [];
  await Promise.all(
    chosen.map(async (name) => {
      const stream = await engine.serviceLogs(byName.get(name)?.id ?? name, {
        follow: Boolean(options.follow),
        timestamps: true,
        ...(options.tail !== undefined ? { tail: Number(options.tail) } : {}),
        ...(sinceMs !== undefined ? { since: Math.floor((ctx.now() - sinceMs) / 1000) } : {}),
      });
      const prefix = `${name.padEnd(width)} | `;
      const demux = new FrameDemuxer((_stream, payload) => {
        for (const raw of payload.toString('utf8').split('\n')) {
          if (!raw) continue;
          const space = raw.indexOf(' ');
          const time = raw.slice(0, space);
          const text = prefix + (options.timestamps ? raw : raw.slice(space + 1));
          if (options.follow) ctx.stdout.write(text + '\n');
          else lines.push({ time, text });
        }
      });
      stream.on('data', (chunk: Buffer) => demux.push(chunk));
      await new Promise<void>((resolve, reject) => {
        stream.on('end', resolve);
        stream.on('close', resolve);
        stream.on('error', reject);
      });
    }),
  );
  lines.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
  for (const l of lines) ctx.stdout.write(l.text + '\n');
  return 0;
}
