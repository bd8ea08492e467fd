import type { ComposeProject } from './load.js';
import { isRecord, whereKey } from './located.js';
import type { ComposeProblem, Where } from './located.js';

/** One edge of the start-order graph: `from` starts after `to`, written at `tree[key]`. */
interface Edge {
  to: string;
  tree: unknown;
  key: string | number;
}

/**
 * Services whose start order forms a cycle: `docker compose` refuses such a project
 * (docker-compose 1.29: `Circular dependency between a and b`; compose-go: `dependency
 * cycle detected`), and berth's dependsOn check would refuse the imported manifests (F189).
 * The edges are Compose's: `depends_on`, `links`, `network_mode`/`ipc`/`pid: service:X` and
 * `volumes_from: [X]`. Each cycle is reported once, at the entry that closes it, in file order.
 */
export function dependencyCycles(project: ComposeProject, fallback: Where): ComposeProblem[] {
  const services = project.services;
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const problems: ComposeProblem[] = [];
  const visit = (name: string): void => {
    state.set(name, 'visiting');
    stack.push(name);
    for (const edge of edgesOf(services[name] ?? {})) {
      if (!(edge.to in services)) continue;
      if (state.get(edge.to) === 'visiting') {
        const cycle = [...stack.slice(stack.indexOf(edge.to)), edge.to].join(' -> ');
        problems.push({
          where: whereKey(edge.tree, edge.key) ?? whereKey(services, name) ?? fallback,
          message: `service "${name}" depends on "${edge.to}": dependency cycle detected: ${cycle} (docker compose refuses it; remove one of these dependencies)`,
          code: 'E_CYCLE',
        });
      } else if (!state.has(edge.to)) visit(edge.to);
    }
    stack.pop();
    state.set(name, 'done');
  };
  for (const name of Object.keys(services)) if (!state.has(name)) visit(name);
  return problems;
}

/** The services `svc` must start after, each with where it is named. */
function edgesOf(svc: Record<string, unknown>): Edge[] {
  const edges: Edge[] = [];
  const { depends_on: deps, links, volumes_from: volumesFrom } = svc;
  if (isRecord(deps)) for (const to of Object.keys(deps)) edges.push({ to, tree: deps, key: to });
  if (Array.isArray(links))
    links.forEach((link, i) => {
      if (typeof link === 'string')
        edges.push({ to: link.split(':')[0] ?? '', tree: links, key: i });
    });
  for (const key of ['network_mode', 'ipc', 'pid']) {
    const mode = svc[key];
    if (typeof mode === 'string' && mode.startsWith('service:'))
      edges.push({ to: mode.slice('service:'.length), tree: svc, key });
  }
  if (Array.isArray(volumesFrom))
    volumesFrom.forEach((entry, i) => {
      if (typeof entry === 'string' && !entry.startsWith('container:'))
        edges.push({ to: entry.split(':')[0] ?? '', tree: volumesFrom, key: i });
    });
  return edges;
}
