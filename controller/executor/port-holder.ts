import type { ObservedContainer, ObservedState } from '../engine/engine.js';
import { EngineError } from '../engine/engine.js';
import type { ObjectPlan } from '../plan/plan-types.js';

/** States in which a container holds its published host ports (ENGINE-NOTES: taken at start). */
const HOLDING = new Set(['running', 'paused', 'restarting']);

/**
 * A start the engine refused because its host port is taken, said with the container of the
 * project that holds it when the observation already in hand shows one: `host port
 * 127.0.0.1:8080 is in use by container web-old` (F668: the message stopped at "is in use",
 * and users went looking with `docker ps`). Costs no engine call; `message` unchanged when the
 * error is another, or the holder is no container berth observed (another project's, a host
 * process).
 */
export function withPortHolder(
  message: string,
  error: unknown,
  observed: Pick<ObservedState, 'containers'>,
  object: Pick<ObjectPlan, 'engineId' | 'engineName'>,
): string {
  const port = portInUseOf(error);
  if (!port) return message;
  // The object's own earlier container (an update stopped it, or its `-prev`) is not the
  // holder, whatever the observation made before the update said of it.
  const own = (c: ObservedContainer) =>
    c.id === object.engineId ||
    (object.engineName !== undefined &&
      [object.engineName, `${object.engineName}-prev`, `${object.engineName}-next`].includes(
        c.name,
      ));
  const holder = observed.containers.find((c) => HOLDING.has(c.state) && !own(c) && holds(c, port));
  if (!holder) return message;
  const said = `host port ${port.hostIP}:${port.hostPort} is in use`;
  return message.includes(said)
    ? message.replace(said, `${said} by container ${holder.name}`)
    : `${message} (in use by container ${holder.name})`;
}

type PortInUse = NonNullable<NonNullable<EngineError['detail']>['portInUse']>;

/** The port of an engine error (or of the error it wraps, as a BerthError's cause). */
function portInUseOf(error: unknown): PortInUse | undefined {
  for (let e = error, depth = 0; e && depth < 4; depth++) {
    if (e instanceof EngineError) return e.detail?.portInUse;
    e =
      (e as { context?: { cause?: unknown }; cause?: unknown }).context?.cause ??
      (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** A binding on every address (`0.0.0.0`, `::`, none) holds the port on each of them. */
function holds(c: ObservedContainer, port: PortInUse): boolean {
  const everywhere = (ip: string | undefined) => !ip || ip === '0.0.0.0' || ip === '::';
  return c.ports.some(
    (p) =>
      p.hostPort === port.hostPort &&
      (p.hostIP === port.hostIP || everywhere(p.hostIP) || everywhere(port.hostIP)),
  );
}
