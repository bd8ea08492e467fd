import type { Engine, EngineEvent } from '../engine/engine.js';
import { BerthError } from '../errors.js';
import { gateMs, type UpdateGate } from './update-policy.js';

/** How a gate ended. */
export type GateResult = { passed: true } | { passed: false; reason: string };

/** What a gate reports while it waits, and what ends it early. */
export interface GateWatch {
  /** Called once a second with the ms left (the progress view's countdown). */
  onTick?: (leftMs: number) => void;
  /**
   * Aborted (Ctrl-C, apply's deadline): the gate rejects at once with the signal's reason when
   * it is a BerthError, else E_INTERRUPTED; neither passed nor failed.
   */
  signal?: AbortSignal;
}

/**
 * Waits for a just-started container to pass its update gate, decided from the engine's
 * events (`health_status: healthy|unhealthy`, `die`) as they arrive, not by polling: the
 * subscription replays from a moment before the gate began, so nothing between the call and
 * the stream attaching is lost, and one inspect covers what happened before that. Rejects with the
 * engine's error when that inspect fails, and with the abort's reason (or E_INTERRUPTED) when `watch.signal` aborts.
 */
export function healthGate(
  engine: Engine,
  project: string,
  containerId: string,
  gate: UpdateGate,
  watch: GateWatch = {},
): Promise<GateResult> {
  const { onTick, signal } = watch;
  return new Promise<GateResult>((resolve, reject) => {
    const deadlineMs = gateMs(gate);
    const end = Date.now() + deadlineMs;
    let settled = false;
    const finish = (result: GateResult | { error: unknown }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearInterval(ticker);
      signal?.removeEventListener('abort', onAbort);
      subscription.close();
      if ('error' in result) reject(result.error);
      else resolve(result);
    };
    const onAbort = () =>
      finish({
        error:
          signal?.reason instanceof BerthError
            ? signal.reason
            : new BerthError('E_INTERRUPTED', 'interrupted (Ctrl-C) during the gate'),
      });
    // The stream attaches some time after this call returns; an event in between (the first
    // `health_status: healthy` of a quick check) was lost, and a good update was rolled back
    // after the whole gate (F125, ~1 in 5). Asking from a little before now replays it.
    const since = Date.now() - REPLAY_MARGIN_MS;
    const subscription = engine.subscribeEvents({ project, since }, (event) => {
      if (event.type === 'container' && event.id === containerId) {
        const verdict = judge(event, gate);
        if (verdict) finish(verdict);
      }
    });
    const timer = setTimeout(
      () =>
        finish(
          gate.kind === 'healthy'
            ? { passed: false, reason: `not healthy within ${seconds(deadlineMs)}` }
            : { passed: true },
        ),
      deadlineMs,
    );
    const ticker = setInterval(() => onTick?.(Math.max(0, end - Date.now())), 1_000);
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort);
    // A failed inspect (Ctrl-C refusing new engine calls, an engine error) rejects the gate,
    // so the caller's error path runs; left uncaught it ended the process.
    void engine.inspectContainer(containerId).then(
      (details) => {
        if (!details) return finish({ passed: false, reason: 'the new container is gone' });
        if (details.state === 'exited' || details.state === 'dead')
          return finish({
            passed: false,
            reason: `the new container exited with code ${details.exitCode}`,
          });
        if (gate.kind === 'healthy' && details.health === 'healthy') finish({ passed: true });
        if (gate.kind === 'healthy' && details.health === 'unhealthy')
          finish({ passed: false, reason: UNHEALTHY });
      },
      (error: unknown) => finish({ error }),
    );
  });
}

/** How far before the gate the event subscription replays (the engine counts in whole seconds). */
const REPLAY_MARGIN_MS = 2_000;

function judge(event: EngineEvent, gate: UpdateGate): GateResult | undefined {
  if (event.action === 'die')
    return {
      passed: false,
      reason: `the new container exited with code ${event.attributes?.exitCode ?? '?'}`,
    };
  if (gate.kind !== 'healthy') return undefined;
  if (event.action === 'health_status: healthy') return { passed: true };
  if (event.action === 'health_status: unhealthy') return { passed: false, reason: UNHEALTHY };
  return undefined;
}

/** The probe's output is added by the caller, from one inspect on the failure path (gate-evidence.ts). */
const UNHEALTHY = 'the new container is unhealthy';

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10}s`;
}
