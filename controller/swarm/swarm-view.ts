import { stringify } from 'yaml';
import type { CliContext } from '../cli/context.js';
import { loadInput } from '../cli/load-input.js';
import { resolveProjectName } from '../cli/project-name.js';
import { parseTargetArgs, selects, type Target } from '../cli/views/target.js';
import type { Kind } from '../../specs/model.js';
import { connectSwarm } from './swarm-apply.js';
import {
  swarmFileStatus,
  wantedFilesFromEngine,
  wantedFilesFromSpecs,
  type SwarmFileStatus,
} from './swarm-file-status.js';
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
 * `berth status --backend swarm` / `berth get [KIND[/NAME]] --backend swarm`: each service's
 * desired vs running replicas (tasks on the current spec), whether its spec is the declared
 * one, and the reason (a task's error, a paused or rolled-back update); each Secret and
 * Config with the Swarm object of its value, in sync when that object is there. With `-f`,
 * against those manifests; without, each service of the project against its own spec and
 * each secret or config version as it is. `get` shows only the kind (and name) it is given.
 * `-o wide` adds one row per task (slot, node hostname, state, current or old spec, desired
 * state, error); `-o json|yaml` the same as fields (`services`, `secretsAndConfigs`). Exit 0
 * when every service is ready and every value is there, else 3.
 */
export async function swarmStatusCommand(
  ctx: CliContext,
  options: SwarmViewOptions,
  kindArg?: string,
  nameArg?: string,
): Promise<number> {
  const target = parseTargetArgs(kindArg, nameArg);
  const files = options.filename ?? [];
  const project = resolveProjectName(options.project, files, ctx.cwd, ctx.env);
  const engine = await connectSwarm(ctx);
  const [observed, nodes] = await Promise.all([engine.observe(project), engine.nodes()]);
  const hostnames = new Map(nodes.map((n) => [n.id, n.hostname]));
  const desired = files.length ? (await loadInput(ctx, files, {}, true)).set.objects : undefined;
  const wanted = desired
    ? wantedFromSpecs(planSwarmApply(desired, observed, project, false).services)
    : wantedFromEngine(observed);
  const wantedFiles = desired
    ? wantedFilesFromSpecs(desired, project)
    : wantedFilesFromEngine(observed);
  // Each task's node by its hostname, as `docker service ps` shows it.
  const statuses = swarmStatus(wanted, observed)
    .filter((s) => chosen(target, s.key))
    .map((s) => ({
      ...s,
      tasks: s.tasks.map((t) => ({ ...t, node: hostnames.get(t.node) ?? t.node })),
    }));
  const fileStatuses = swarmFileStatus(wantedFiles, observed).filter((f) => chosen(target, f.key));
  const inSync = statuses.every((s) => s.ready) && fileStatuses.every((f) => f.inSync);
  const report = {
    project,
    backend: 'swarm',
    context: ctx.contextFlag ?? null,
    inSync,
    services: statuses,
    secretsAndConfigs: fileStatuses,
  };
  if (options.output === 'json') ctx.stdout.write(JSON.stringify(report, null, 2) + '\n');
  else if (options.output === 'yaml') ctx.stdout.write(stringify(report));
  else ctx.stdout.write(table(statuses, fileStatuses, options.output === 'wide'));
  return inSync ? 0 : 3;
}

/** Whether a row's `Kind/name` key is one `get KIND[/NAME]` asks for. */
function chosen(target: Target, key: string): boolean {
  const [kind, name] = key.split('/') as [Kind, string];
  return selects(target, { kind, name });
}

function table(
  statuses: SwarmServiceStatus[],
  fileStatuses: SwarmFileStatus[],
  wide: boolean,
): string {
  const header = ['OBJECT', 'NAME', 'REPLICAS', 'SYNC', 'READY', 'REASON'];
  // A secret or config has no replicas; it is ready when its value is there.
  const rows = fileStatuses.map((f) => {
    const sync = f.inSync ? 'yes' : 'no';
    return [f.key, f.name, '-', sync, sync, f.reason ?? '-'];
  });
  rows.push(
    ...statuses.map((s) => [
      s.key,
      s.service,
      `${s.runningReplicas}/${s.desiredReplicas}`,
      s.inSync ? 'yes' : 'no',
      s.ready ? 'yes' : 'no',
      s.reason ?? '-',
    ]),
  );
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
  if (rows.length === 0) return 'no services, secrets or configs of this project on the Swarm\n';
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}
