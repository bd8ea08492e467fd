import type { DesiredObject, SourcePosition } from '../../specs/model.js';
import { positionOf } from '../../specs/positions.js';

/** One thing a berth object declares that the Kubernetes output cannot carry. */
export interface ExportLoss {
  /** Where the field is written (when it is not, a default: the nearest enclosing field written). */
  at: SourcePosition;
  /** `Container/web`. */
  object: string;
  /** The field, as in the manifest: `spec.dependsOn`. */
  field: string;
  why: string;
}

/** `file:line:col: Container/web: spec.dependsOn: not carried: why` (as `import` names losses). */
export function formatLoss(loss: ExportLoss): string {
  const { file, line, column } = loss.at;
  return `${file}:${line}:${column}: ${loss.object}: ${loss.field}: not carried: ${loss.why}`;
}

/** A collector of losses for one object, each placed at its field's own line:col. */
export function lossesFor(object: DesiredObject, into: ExportLoss[]) {
  const name = `${object.kind}/${declaredName(object)}`;
  return (field: string, why: string) =>
    into.push({ at: positionOf(object, fieldPath(field)), object: name, field, why });
}

/** `spec.mounts[0].mode` → `['spec', 'mounts', 0, 'mode']` (a manifest path). */
export function fieldPath(field: string): (string | number)[] {
  return field
    .split(/\.|(?=\[)/)
    .map((part) => (/^\[\d+\]$/.test(part) ? Number(part.slice(1, -1)) : part));
}

/** The name as declared: an expanded replica `web-2` is `web`. */
export function declaredName(object: DesiredObject): string {
  return object.kind === 'Container' && object.replica ? object.replica.of : object.name;
}
