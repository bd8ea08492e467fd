import type { DesiredObject, Kind, SourcePosition } from '../model.js';
import type { ParsedDocument } from '../parse/documents.js';
import type { Policy } from '../policy.js';
import type { Problem } from '../problems.js';
import type { AnyManifest } from '../types.generated.js';
import { rememberPositions } from '../positions.js';
import { objectLabel } from '../validate/schema-errors.js';
import { NormaliseContext, stringMap } from './context.js';
import type { VariableLookup } from '../interpolate/resolve.js';
import { specKind, type ManifestOfKind, type ObjectOfKind } from '../kinds/index.js';

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
  variables?: VariableLookup,
): Promise<{ object?: DesiredObject; problems: Problem[]; warnings: Problem[] }> {
  const name = manifest.metadata.name;
  const ctx = new NormaliseContext(
    objectLabel(manifest.kind, name),
    baseDir,
    policy,
    doc.locate,
    doc.start,
    hostBaseDir,
    manifest,
    variables,
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
  const object = await normaliseObject(manifest, { ctx, env, common });
  if (ctx.problems.length > 0) return { problems: ctx.problems, warnings: ctx.warnings };
  rememberPositions(object, doc.locate, manifest);
  return { object, problems: [], warnings: ctx.warnings };
}

/** What every kind's object shares, filled in before the kind normalises its spec. */
type CommonFields = Omit<DesiredObject, 'kind' | 'spec'>;

/** The kind's own normalisation (specs/kinds/<kind>.ts) of one manifest. */
async function normaliseObject<K extends Kind>(
  manifest: ManifestOfKind<K>,
  with_: { ctx: NormaliseContext; env: NodeJS.ProcessEnv; common: CommonFields },
): Promise<ObjectOfKind<K>> {
  const kind: K = manifest.kind;
  const spec = await specKind(kind).normalise(manifest, with_.ctx, with_.env);
  // One cast: TypeScript cannot see that `kind` and `spec` belong to the same K.
  return { ...with_.common, kind, spec } as ObjectOfKind<K>;
}
