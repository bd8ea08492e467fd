import type { ExternalRef } from '../model.js';
import type { NormaliseContext } from './context.js';

/**
 * `external: true` (and `name`) of a Network or Volume: the engine object is used by name
 * and never managed, so any other field is a problem (berth could not honour it); `name`
 * without `external: true` is one too.
 */
export function externalRef(
  raw: Record<string, unknown> | undefined,
  objectName: string,
  ctx: NormaliseContext,
): ExternalRef | undefined {
  if (!raw) return undefined;
  if (raw.external !== true) {
    if (raw.name !== undefined)
      ctx.report('E_EXTERNAL', ['spec', 'name'], 'is only for external: true');
    return undefined;
  }
  for (const field of Object.keys(raw).sort()) {
    if (field !== 'external' && field !== 'name')
      ctx.report(
        'E_EXTERNAL',
        ['spec', field],
        'cannot be combined with external: true (berth never changes an external object)',
      );
  }
  return { name: typeof raw.name === 'string' ? raw.name : objectName };
}
