import { stringify } from 'yaml';
import type { CliContext } from '../cli/context.js';
import { loadInput } from '../cli/load-input.js';
import { resolveProjectName } from '../cli/project-name.js';
import { connectSwarm } from './swarm-apply.js';
import { planSwarmApply } from './swarm-plan.js';
import {
  swarmStatus,
  wantedFromEngine,
  wantedFromSpecs,
  type SwarmServiceStatus,
} from './swarm-status.js';

/** The flags of status/get that `--backend swarm` reads. */
export interface SwarmViewOptions {
  filename?: string[];
  project?: string;
  output?: string;
}

/**
 * `berth status --backend swarm` / `berth get --backend swarm`: each service's desired vs
 * running replicas (tasks on the current spec), whether its spec is the declared one, and
 * the reason (a task's error, a paused or rolled-back update). With `-f`, against those
 * manifests; without, each service of the project against its own spec. `-o wide` adds
 * one row per task (slot, node hostname, state, current or old spec, desired state, error);
 * `-o json|yaml` the same as fields. Exit 0 when every service is ready, else 3.
 */
export async function swarmStatusCommand(
  ctx: CliContext,
  options: SwarmViewOptions,
): Promise<number> {
  const files = options.filename ?? [];
  const project = resolveProjectName(options.project, files, ctx.cwd, ctx.env);
  const engine = await connectSwarm(ctx);
  const [observed, nodes] = await Promise.all([engine.observe(project), engine.nodes()]);
  const hostnames = new Map(nodes.map((n) => [n.id, n.hostname]));
  const wanted = files.length
    ? wantedFromSpecs(
        planSwarmApply(
          (await loadInput(ctx, files, {}, true)).set.objects,
          observed,
          project,
          false,
        ).services,
      )
    : wantedFromEngine(observed);
  // Each task's node by its hostname, as `docker service ps` shows it.
  const statuses = swarmStatus(wanted, observed).map((s) => ({
    ...s,
    tasks: s.tasks.map((t) => ({ ...t, node: hostnames.get(t.node) ?? t.node })),
  }));
  const inSync = statuses.every((s) => s.ready);
  const report = {
    project,
    backend: 'swarm',
    context: ctx.contextFlag ?? null,
    inSync,
    services: statuses,
  };
  if (options.output === 'json') ctx.stdout.write(JSON.stringify(report, null, 2) + '\n');
  else if (options.output === 'yaml') ctx.stdout.write(stringify(report));
  else ctx.stdout.write(table(statuses, options.output === 'wide'));
  return inSync ? 0 : 3;
}

function table(statuses: SwarmServiceStatus[], wide: boolean): string {
  const header = ['OBJECT', 'SERVICE', 'REPLICAS', 'SYNC', 'READY', 'REASON'];
  const rows = statuses.map((s) => [
    s.key,
    s.service,
    `${s.runningReplicas}/${s.desiredReplicas}`,
    s.inSync ? 'yes' : 'no',
    s.ready ? 'yes' : 'no',
    s.reason ?? '-',
  ]);
  if (wide)
    for (const s of statuses)
      for (const t of s.tasks)
        rows.push([
          `  ${s.key}.${t.slot}`,
          t.node,
          t.state,
          t.current ? 'current' : 'old',
          t.desiredState,
          t.error ?? '-',
        ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('   ');
  if (rows.length === 0) return 'no services of this project on the Swarm\n';
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}
