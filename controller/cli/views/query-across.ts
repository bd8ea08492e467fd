import type { ObjectKey } from '../../../specs/model.js';
import { engineOfContext } from '../../engine/docker/context-engine.js';
import type { Engine } from '../../engine/engine.js';
import { toBerthError } from '../../errors.js';
import { keyOn, type EngineGroup } from '../../executor/placement.js';
import { sameEngineClusters } from '../../executor/same-engine.js';
import {
  loadProjectView,
  type DesiredInput,
  type ProjectView,
  type ViewRequest,
} from '../../status/project-view.js';
import type { ObjectStatus, ProjectStatus } from '../../status/status-types.js';
import type { CliContext } from '../context.js';

/**
 * The project view of a set spanning engines (`spec.placement.context`): one view per engine,
 * loaded in parallel, merged. Objects on another engine carry their `context` and the key
 * `Kind/name@context`; the objects of an engine that cannot be reached are listed as
 * `unknown`, with the reason naming the context. Desired, observed and plan are those of
 * berth's own engine (describe reads objects there). `across.engineOf` gives the engine of a
 * context (berth watch's, connected once; default: a new connection from the context store),
 * `across.berthRestarts` the restarts berth made (ViewRequest).
 */
export async function queryAcross(
  ctx: CliContext,
  project: string,
  desired: DesiredInput,
  groups: EngineGroup[],
  home: Engine,
  across: AcrossOptions = {},
): Promise<ProjectView> {
  const { berthRestarts } = across;
  const engineFor = across.engineOf ?? ((context: string) => engineOfContext(context, ctx.env));
  const load = (engine: Engine, group: EngineGroup, observed?: ProjectView['observed']) =>
    loadProjectView(engine, {
      stateDir: ctx.stateDir,
      project,
      desired: { ...desired, objects: group.objects },
      now: ctx.now(),
      ...(observed ? { observed } : {}),
      ...(berthRestarts ? { berthRestarts } : {}),
    });
  const loaded: GroupView[] = await Promise.all(
    groups.map(async (group) => {
      try {
        const engine = group.context === undefined ? home : await engineFor(group.context);
        return { group, engine, view: await load(engine, group) };
      } catch (e) {
        const error = toBerthError(e);
        if (group.context === undefined || error.code !== 'E_ENGINE_UNREACHABLE') throw e;
        return { group, failure: `context "${group.context}": ${error.message}` };
      }
    }),
  );
  // Contexts that reach one engine are one group (see sameEngineClusters), as apply runs them.
  const clusters = sameEngineClusters(loaded.map((v) => v.view?.observed));
  const joined = new Set(clusters.flatMap((c) => c.slice(1)));
  for (const cluster of clusters) {
    const first = loaded[cluster[0]!]!;
    const group = { ...first.group, objects: cluster.flatMap((i) => loaded[i]!.group.objects) };
    loaded[cluster[0]!] = {
      group,
      engine: first.engine!,
      view: await load(first.engine!, group, first.view!.observed),
    };
  }
  const views = loaded.filter((_, i) => !joined.has(i));
  const first = views[0]?.view;
  if (!first) throw new Error('no view of berth own engine');
  const objects: ObjectStatus[] = [];
  const status: ProjectStatus = { ...first.status, missing: [], undeclared: [], conflicts: [] };
  status.counts = {};
  status.outOfSync = 0;
  for (const { group, view, failure } of views) {
    const context = group.context;
    const list = view
      ? view.status.objects.map((o) => ({
          ...o,
          key: keyOn(o.key, context),
          context: context ?? null,
        }))
      : group.objects.map((o) =>
          unreachable(
            project,
            keyOn(`${o.kind}/${o.name}` as ObjectKey, context),
            o,
            context,
            failure,
          ),
        );
    objects.push(...list);
    if (view) {
      status.missing.push(...view.status.missing.map((k) => keyOn(k, context)));
      status.undeclared.push(...view.status.undeclared.map((k) => keyOn(k, context)));
      status.conflicts.push(
        ...view.status.conflicts.map((c) => ({ ...c, key: keyOn(c.key, context) })),
      );
    }
  }
  for (const o of objects) status.counts[o.observed] = (status.counts[o.observed] ?? 0) + 1;
  status.outOfSync = objects.filter((o) => o.declared && !o.inSync).length;
  status.objects = objects;
  status.inSync = views.every((v) => v.view?.status.inSync === true);
  return { ...first, status };
}

/** What a caller holding its own engines passes (berth watch). */
export interface AcrossOptions {
  engineOf?: (context: string) => Promise<Engine>;
  berthRestarts?: ViewRequest['berthRestarts'];
}

interface GroupView {
  group: EngineGroup;
  engine?: Engine;
  view?: ProjectView;
  failure?: string;
}

/** The status of a declared object whose engine could not be observed. */
function unreachable(
  project: string,
  key: ObjectKey,
  o: EngineGroup['objects'][number],
  context: string | undefined,
  reason: string | undefined,
): ObjectStatus {
  return {
    project,
    key,
    kind: o.kind,
    name: o.name,
    engineName: null,
    context: context ?? null,
    id: null,
    desired: o.kind === 'Container' ? o.spec.state : 'present',
    observed: 'unknown',
    declared: true,
    inSync: false,
    reason: reason ?? 'engine not observed',
    pendingSteps: [],
    conditions: [],
    restartCount: null,
    exitCode: null,
    health: null,
    restarts: null,
    lastExitCode: null,
    oomKilled: null,
    ready: null,
    ports: [],
    networks: [],
    createdAt: null,
    ageSeconds: null,
    image: null,
    imageId: null,
    imageDigest: null,
    conflict: null,
  };
}
