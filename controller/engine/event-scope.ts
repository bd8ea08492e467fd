import { LABEL } from '../labels.js';
import type { EngineEvent, EventOptions } from './engine.js';

/**
 * Whether an event belongs to the project. Container events carry the container's labels;
 * network and volume events carry none (ENGINE-NOTES), so they match by the `<project>-`
 * engine-name prefix or by the project's declared engine names (`options.resources`: a
 * network or volume with `spec.name`, F172). With no project, any berth container and every
 * network/volume pass.
 */
export function eventInProject(
  event: EngineEvent,
  options: Pick<EventOptions, 'project' | 'resources'>,
): boolean {
  const { project } = options;
  if (event.type === 'container') {
    const owner = event.labels[LABEL.project];
    return project === undefined ? owner !== undefined : owner === project;
  }
  if (project === undefined) return true;
  return resourceOfEvent(event, options) !== undefined;
}

/**
 * The declared name of the network or volume an event concerns: by the declared engine names
 * first (a `spec.name` may itself start with `<project>-`), else the name after the
 * `<project>-` prefix (an owned object not declared any more). Undefined: not the project's,
 * or not a network or volume event. Pure.
 */
export function resourceOfEvent(
  event: EngineEvent,
  options: Pick<EventOptions, 'project' | 'resources'>,
): string | undefined {
  if (event.type !== 'network' && event.type !== 'volume') return undefined;
  const engineName = event.name ?? '';
  const declared = options.resources?.()[event.type].get(engineName);
  if (declared !== undefined) return declared;
  const prefix = `${options.project}-`;
  return options.project !== undefined && engineName.startsWith(prefix)
    ? engineName.slice(prefix.length)
    : undefined;
}
