import type { DesiredObject, ExternalRef, SourcePosition } from '../model.js';
import type { ParsedDocument } from '../parse/documents.js';
import type { Policy } from '../policy.js';
import type { Problem } from '../problems.js';
import type { AnyManifest } from '../types.generated.js';
import { rememberPositions } from '../positions.js';
import { objectLabel } from '../validate/schema-errors.js';
import { NormaliseContext, stringMap } from './context.js';
import { normaliseContainer } from './container.js';
import { externalRef } from './external.js';
import { normaliseFileValue } from './file-value.js';
import {
  normaliseBindMount,
  normaliseImage,
  normaliseNetwork,
  normaliseVolume,
} from './resources.js';

/**
 * Normalises one schema-valid manifest into the model. The spec hash is left empty:
 * it depends on other objects and is filled in by `linkObjects`.
 */
export async function normaliseManifest(
  manifest: AnyManifest,
  doc: ParsedDocument,
  baseDir: string,
  policy: Policy,
  hostBaseDir: string = baseDir,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ object?: DesiredObject; problems: Problem[] }> {
  const name = manifest.metadata.name;
  const ctx = new NormaliseContext(
    objectLabel(manifest.kind, name),
    baseDir,
    policy,
    doc.locate,
    doc.start,
    hostBaseDir,
  );
  const source: SourcePosition = doc.locate(['kind'], 'key');
  const placement = (
    manifest.spec as { placement?: { context?: string; constraints?: string[] } } | undefined
  )?.placement;
  const placed = placement?.context;
  const constraints = placement?.constraints;
  const common = {
    name,
    labels: stringMap(manifest.metadata.labels),
    source,
    specHash: '',
    ...(placed ? { context: placed } : {}),
    ...(constraints?.length ? { constraints: [...constraints] } : {}),
  };
  let object: DesiredObject;
  switch (manifest.kind) {
    case 'Image':
      object = { ...common, kind: 'Image', spec: await normaliseImage(manifest.spec, ctx, env) };
      break;
    case 'Network':
      object = { ...common, kind: 'Network', spec: normaliseNetwork(manifest.spec, ctx, name) };
      withExternal(
        object.spec,
        externalRef(manifest.spec as Record<string, unknown> | undefined, name, ctx),
      );
      break;
    case 'BindMount':
      object = { ...common, kind: 'BindMount', spec: normaliseBindMount(manifest.spec, ctx) };
      break;
    case 'Volume':
      object = { ...common, kind: 'Volume', spec: normaliseVolume(manifest.spec) };
      withExternal(
        object.spec,
        externalRef(manifest.spec as Record<string, unknown> | undefined, name, ctx),
      );
      break;
    case 'Container':
      object = { ...common, kind: 'Container', spec: await normaliseContainer(manifest.spec, ctx) };
      break;
    case 'Secret':
    case 'Config':
      object = {
        ...common,
        kind: manifest.kind,
        spec: await normaliseFileValue(manifest.spec, ctx, env),
      };
      break;
  }
  if (ctx.problems.length > 0) return { problems: ctx.problems };
  rememberPositions(object, doc.locate);
  return { object, problems: [] };
}

function withExternal(spec: { external?: ExternalRef }, external: ExternalRef | undefined): void {
  if (external) spec.external = external;
}
