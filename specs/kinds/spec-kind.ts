import type { DesiredObject, Kind } from '../model.js';
import type { NormaliseContext } from '../normalise/context.js';
import type { ObjectLookup } from '../recreate-fields.js';
import type { AnyManifest } from '../types.generated.js';

/** The declared object of one kind (`ObjectOfKind<'Volume'>` is `VolumeObject`). */
export type ObjectOfKind<K extends Kind> = Extract<DesiredObject, { kind: K }>;

/** The schema-valid manifest of one kind, as the generated types describe it. */
export type ManifestOfKind<K extends Kind> = Extract<AnyManifest, { kind: K }>;

/**
 * What the desired side knows about one kind (issue 17: one module per kind): how its manifest
 * becomes the normalised spec, and which of its fields force a recreate. The controller's half
 * is in controller/kinds/. Every kind has one, in specs/kinds/<kind>.ts, listed in
 * {@link SpecKinds}.
 */
export interface SpecKind<K extends Kind> {
  /**
   * The normalised spec of a schema-valid manifest. Problems go to `ctx` (the caller then
   * drops the object); `env` is what `${VAR}` and `fromEnv` values read.
   */
  normalise(
    manifest: ManifestOfKind<K>,
    ctx: NormaliseContext,
    env: NodeJS.ProcessEnv,
  ): Promise<ObjectOfKind<K>['spec']> | ObjectOfKind<K>['spec'];
  /**
   * The spec fields whose change needs a recreate, references resolved through `lookup`:
   * what the spec hash covers (besides `kind` and `metadata.labels`).
   */
  recreateFields(object: ObjectOfKind<K>, lookup: ObjectLookup): unknown;
}

/** One descriptor per kind: a kind added to `KINDS` without one does not compile. */
export type SpecKinds = { readonly [K in Kind]: SpecKind<K> };
