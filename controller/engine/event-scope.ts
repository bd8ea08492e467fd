import { LABEL } from '../labels.js';
import type { EngineEvent } from './engine.js';

/**
 * Whether an event belongs to the project. Container events carry the container's labels;
 * network and volume events carry none (ENGINE-NOTES), so they match by the `<project>-`
 * engine-name prefix. With no project, any berth container and every network/volume pass.
 */
export function eventInProject(event: EngineEvent, project: string | undefined): boolean {
  if (event.type === 'container') {
    const owner = event.labels[LABEL.project];
    return project === undefined ? owner !== undefined : owner === project;
  }
  if (project === undefined) return true;
  return (event.name ?? '').startsWith(`${project}-`);
}
