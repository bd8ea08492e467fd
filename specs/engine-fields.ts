import { FIELD_MIN_API } from './engine-api.js';
import type { ContainerObject, DesiredObject, SourcePosition } from './model.js';
import type { ValuePath } from './parse/locate.js';
import type { Problem } from './problems.js';
import { positionOf } from './positions.js';
import { objectLabel } from './validate/schema-errors.js';

type Uses<K extends DesiredObject['kind']> = (
  o: Extract<DesiredObject, { kind: K }>,
) => ValuePath[];

/** Where a container uses a field, as paths into its manifest. */
const containerUses = (
  uses: Uses<'Container'>,
): { kind: 'Container'; uses: Uses<'Container'> } => ({ kind: 'Container', uses });

/**
 * Declared fields that some engine cannot carry whatever API version it speaks (engine-api.ts
 * covers the version floor). The desired side only knows where a field is used; which engine
 * drops or refuses which field is the engine adapter's word ({@link EngineLimits}, F165).
 */
const ENGINE_FIELDS = {
  'mounts[].uid/gid of a tmpfs': containerUses((c: ContainerObject) =>
    c.spec.mounts.flatMap((m, i) =>
      m.type === 'tmpfs' && (m.uid !== undefined || m.gid !== undefined)
        ? [['spec', 'mounts', i, m.uid !== undefined ? 'uid' : 'gid']]
        : [],
    ),
  ),
  domainname: containerUses((c) => (c.spec.domainname ? [['spec', 'domainname']] : [])),
  gpus: containerUses((c) => (c.spec.gpus ? [['spec', 'gpus']] : [])),
  'ports[]: a host port range onto one container port': containerUses((c) =>
    c.spec.ports.some((p) => p.hostPortEnd !== undefined) ? [['spec', 'ports']] : [],
  ),
  'logging.options.max-file': containerUses((c) =>
    c.spec.logging?.options['max-file'] !== undefined
      ? [['spec', 'logging', 'options', 'max-file']]
      : [],
  ),
} as const;

/** A field some engine cannot carry, by the name berth's messages give it. */
export type EngineField = keyof typeof ENGINE_FIELDS;

/** What the connected engine cannot carry, as its adapter declares it (Engine.ping). */
export interface EngineLimits {
  /** The engine, for messages: `Podman 4.3.1`. */
  engine: string;
  /** Each field it cannot carry, and why, in the engine's terms ("it leaves … unset"). */
  cannotCarry: readonly { field: EngineField; why: string }[];
}

function usesOf(field: EngineField, o: DesiredObject): ValuePath[] {
  const entry = ENGINE_FIELDS[field];
  if (o.kind !== entry.kind) return [];
  return (entry.uses as (o: DesiredObject) => ValuePath[])(o);
}

const FIELDS = Object.keys(ENGINE_FIELDS) as EngineField[];

/** Whether the set uses a field some engine cannot carry (then the engine must be asked). */
export function usesEngineFields(objects: readonly DesiredObject[]): boolean {
  return objects.some((o) => FIELDS.some((f) => usesOf(f, o).length > 0));
}

/**
 * Every use of a field the engine cannot carry, as E_ENGINE_FIELD, once per place written
 * (replicas of one container share their manifest).
 */
export function engineFieldProblems(
  objects: readonly DesiredObject[],
  limits: EngineLimits,
): Problem[] {
  const problems = new Map<string, Problem>();
  for (const o of objects)
    for (const { field, why } of limits.cannotCarry)
      for (const path of usesOf(field, o)) {
        const problem: Problem = {
          ...positionOf(o, path),
          code: 'E_ENGINE_FIELD',
          message: `${objectLabel(o.kind, displayName(o))}: ${field} cannot be carried by the engine (${limits.engine}): ${why}`,
        };
        problems.set(
          `${problem.file}:${problem.line}:${problem.column}:${problem.message}`,
          problem,
        );
      }
  return [...problems.values()];
}

/** A replica is written as the container it runs. */
function displayName(o: DesiredObject): string {
  return o.kind === 'Container' && o.replica ? o.replica.of : o.name;
}

/**
 * Every use of a field that some engine or API version cannot carry (the uses an engine must
 * be asked about: {@link ENGINE_FIELDS} and engine-api.ts's FIELD_MIN_API), at its place, once
 * per place written. For objects whose engine cannot be asked now (F391).
 */
export function limitedFieldUses(
  objects: readonly DesiredObject[],
): { object: DesiredObject; field: string; at: SourcePosition }[] {
  const uses = new Map<string, { object: DesiredObject; field: string; at: SourcePosition }>();
  const add = (object: DesiredObject, field: string, path: ValuePath) => {
    const at = positionOf(object, path);
    const key = `${at.file}:${at.line}:${at.column}:${field}`;
    if (!uses.has(key)) uses.set(key, { object, field, at });
  };
  for (const o of objects) {
    for (const field of FIELDS) for (const path of usesOf(field, o)) add(o, field, path);
    if (o.kind !== 'Container') continue;
    for (const { field, usedAt } of FIELD_MIN_API)
      for (const path of usedAt(o)) add(o, field, path);
  }
  return [...uses.values()];
}

/** A problem's object label: a replica is written as the container it runs. */
export function limitedFieldLabel(o: DesiredObject): string {
  return objectLabel(o.kind, displayName(o));
}
