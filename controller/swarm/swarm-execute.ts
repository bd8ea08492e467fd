import { valueOf } from '../../specs/file-values.js';
import { isEngineError } from '../engine/engine.js';
import type { SwarmEngine, SwarmObserved, SwarmServiceSpec } from '../engine/swarm/swarm-types.js';
import type { SwarmPlan, SwarmStep } from './swarm-plan.js';

/** What happened to one step. */
export interface SwarmStepOutcome {
  step: SwarmStep;
  ok: boolean;
  message?: string;
}

/** How long a network removal waits for the tasks' endpoints to go (ENGINE-NOTES, Swarm). */
const NETWORK_PATIENCE_MS = 30_000;

/**
 * Runs a Swarm plan step by step, in its order (creations before the services that use
 * them, removals after). A failed creation skips nothing else: each service reports its own
 * failure. Secret and config ids are filled into the service specs by name. Never throws
 * for an engine answer; the outcomes carry it.
 */
export async function executeSwarmPlan(
  engine: SwarmEngine,
  plan: SwarmPlan,
  observed: SwarmObserved,
  onStep?: (outcome: SwarmStepOutcome) => void,
): Promise<SwarmStepOutcome[]> {
  const ids = new Map<string, string>();
  for (const o of [...observed.secrets, ...observed.configs]) ids.set(o.name, o.id);
  const outcomes: SwarmStepOutcome[] = [];
  for (const step of plan.steps) {
    let outcome: SwarmStepOutcome;
    try {
      await runStep(engine, step, ids);
      outcome = { step, ok: true };
    } catch (e) {
      outcome = { step, ok: false, message: e instanceof Error ? e.message : String(e) };
    }
    outcomes.push(outcome);
    onStep?.(outcome);
  }
  return outcomes;
}

async function runStep(engine: SwarmEngine, step: SwarmStep, ids: Map<string, string>) {
  switch (step.op) {
    case 'create-network':
      return engine.createNetwork(step.request);
    case 'create-secret':
    case 'create-config': {
      const data = valueOf(step.digest);
      if (!data) throw new Error(`${step.key}: its value was not read in this process`);
      const request = { name: step.name, labels: step.labels, data };
      const created =
        step.op === 'create-secret'
          ? await engine.createSecret(request)
          : await engine.createConfig(request);
      ids.set(step.name, created.id);
      return;
    }
    case 'create-service':
      return engine.createService(withFileIds(step.spec, ids));
    case 'update-service':
      return engine.updateService(step.id, step.version, withFileIds(step.spec, ids));
    case 'remove':
      if (step.kind === 'network') return removeNetworkPatiently(engine, step.id);
      return engine.remove(step.kind, step.id);
  }
}

/** The spec with `SecretID`/`ConfigID` set from the objects' names. */
function withFileIds(spec: SwarmServiceSpec, ids: Map<string, string>): SwarmServiceSpec {
  const copy = structuredClone(spec);
  const container = copy.TaskTemplate.ContainerSpec as {
    Secrets?: { SecretID: string; SecretName: string }[];
    Configs?: { ConfigID: string; ConfigName: string }[];
  };
  for (const s of container.Secrets ?? []) s.SecretID = ids.get(s.SecretName) ?? s.SecretID;
  for (const c of container.Configs ?? []) c.ConfigID = ids.get(c.ConfigName) ?? c.ConfigID;
  return copy;
}

/**
 * A network whose services were just removed is in use until their tasks' endpoints are
 * gone (seconds): retry a conflict until then.
 */
async function removeNetworkPatiently(engine: SwarmEngine, id: string) {
  const deadline = Date.now() + NETWORK_PATIENCE_MS;
  for (;;) {
    try {
      return await engine.remove('network', id);
    } catch (e) {
      if (
        Date.now() > deadline ||
        !(isEngineError(e, 'E_CONFLICT') || isEngineError(e, 'E_ENGINE'))
      )
        throw e;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}
