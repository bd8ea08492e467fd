import { stat } from 'node:fs/promises';
import type { DesiredObject } from '../../specs/model.js';
import type { Engine, ObservedState } from '../engine/engine.js';
import { engineName, LABEL } from '../labels.js';
import type { HostPathKind, PlanInput } from '../plan/plan-input.js';

/**
 * What the host has at each declared bind-mount path (the planner does no I/O itself).
 */
export async function observeHostPaths(
  desired: DesiredObject[],
): Promise<Map<string, HostPathKind>> {
  const paths = new Map<string, HostPathKind>();
  for (const o of desired) {
    if (o.kind !== 'BindMount') continue;
    const info = await stat(o.spec.hostPath).catch(() => undefined);
    paths.set(o.spec.hostPath, !info ? 'absent' : info.isDirectory() ? 'directory' : 'file');
  }
  return paths;
}

/**
 * Declared containers that are missing from the (label-filtered) observation but whose engine
 * name is taken: an unlabelled container there is a conflict (DESIGN.md "Identity and
 * ownership"). One inspect per *missing* container only, so a converged project costs no
 * call here. Networks and volumes are not checked: the Engine interface has no by-name lookup
 * for them.
 */
export async function findUnowned(
  engine: Engine,
  project: string,
  desired: DesiredObject[],
  observed: ObservedState,
): Promise<NonNullable<PlanInput['unowned']>> {
  const present = new Set(
    observed.containers
      .filter((c) => c.labels[LABEL.project] === project)
      .map((c) => c.labels[LABEL.name]),
  );
  const missing = desired.filter((o) => o.kind === 'Container' && !present.has(o.name));
  const found = await Promise.all(
    missing.map(async (o) => {
      const name = engineName(project, o.name);
      const details = await engine.inspectContainer(name);
      const ours =
        details?.labels[LABEL.project] === project && details.labels[LABEL.name] === o.name;
      return details && !ours ? { kind: o.kind, name: o.name, engineName: name } : undefined;
    }),
  );
  return found.filter((u) => u !== undefined);
}
