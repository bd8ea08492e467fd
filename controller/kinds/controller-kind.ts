import type { Kind } from '../../specs/model.js';
import type { ObjectOfKind } from '../../specs/kinds/index.js';
import type { OwnedIndex, PlanInput } from '../plan/plan-input.js';
import type { ObjectPlan } from '../plan/plan-types.js';
import type {
  ObservedContainer,
  ObservedImage,
  ObservedNetwork,
  ObservedState,
  ObservedVolume,
} from '../engine/engine.js';

/** The engine object behind one plan entry, by kind (none for bind mounts, secrets, configs). */
export type MatchedObject =
  | { kind: 'Container'; container: ObservedContainer }
  | { kind: 'Network'; network: ObservedNetwork }
  | { kind: 'Volume'; volume: ObservedVolume }
  | { kind: 'Image'; image: ObservedImage }
  | undefined;

/** The matched engine object of one kind (`never` for kinds with no engine object). */
export type MatchedOf<K extends Kind> = Extract<NonNullable<MatchedObject>, { kind: K }>;

/**
 * Finds in `list` the engine object of the plan entry being matched: by the engine id the plan
 * recorded (`id` reads it), else by berth's ownership labels.
 */
export type ObservedPicker = <T extends { labels: Record<string, string> }>(
  list: T[],
  id: (t: T) => string,
) => T | undefined;

/** What status shows of an object's engine side; nulls and empty lists when there is none. */
export interface EngineFacts {
  id: string | null;
  image: string | null;
  /** Epoch milliseconds. */
  createdAt: number | null;
  imageId: string | null;
  /** `hostIP:hostPort->port/proto` or `port/proto`, sorted, unique. */
  ports: string[];
  /** Engine names of the networks, sorted. */
  networks: string[];
}

/** The facts of an object with no engine object (or none found). */
export const NO_ENGINE_FACTS: EngineFacts = {
  id: null,
  image: null,
  createdAt: null,
  imageId: null,
  ports: [],
  networks: [],
};

/**
 * What the controller knows about one kind (issue 17: one module per kind), pure functions of
 * declared and observed data. The desired side's half (normalise, recreate fields) is in
 * specs/kinds/. Every kind has one, in controller/kinds/<kind>.ts, listed in
 * {@link ControllerKinds}.
 */
export interface ControllerKind<K extends Kind> {
  /**
   * The engine object the planner matched for an entry of this kind (`desired` is its
   * declaration, when declared); undefined when none is found or the kind has none.
   */
  matchObserved(
    pick: ObservedPicker,
    desired: ObjectOfKind<K> | undefined,
    observed: ObservedState,
  ): MatchedObject;
  /** What status shows of the matched engine object. */
  engineFacts(match: MatchedOf<K>): EngineFacts;
}

/** Every kind but Container: planned on its own (a container is planned after its images). */
export type ResourceKind = Exclude<Kind, 'Container'>;

/** A kind planned on its own: its descriptor also plans a declared object. */
export interface ResourceKindDescriptor<K extends ResourceKind> extends ControllerKind<K> {
  /** The plan entry of a declared object of this kind: a pure function of the plan's input. */
  planDeclared(object: ObjectOfKind<K>, input: PlanInput, owned: OwnedIndex): ObjectPlan;
}

/**
 * One descriptor per kind: a kind added to `KINDS` without one (or, for a resource kind,
 * without its planner) does not compile. A container's plan needs its images' plans, so
 * plan.ts plans containers itself (`planDeclaredContainer`).
 */
export type ControllerKinds = {
  readonly [K in Kind]: K extends ResourceKind ? ResourceKindDescriptor<K> : ControllerKind<K>;
};
