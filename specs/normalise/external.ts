import type { ExternalRef } from '../model.js';
import type { NormaliseContext } from './context.js';

/**
 * `external: true` (and `name`) of a Network or Volume: the engine object is used by name
 * and never managed, so any other field is a problem (berth could not honour it).
 */
export function externalRef(
  raw: Record<string, unknown> | undefined,
  objectName: string,
  ctx: NormaliseContext,
): ExternalRef | undefined {
  if (!raw || raw.external !== true) return undefined;
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

/**
 * What the engine accepts as a volume name (moby's `RestrictedNamePattern`; a network takes
 * one character too): letters, digits, `_`, `.`, `-`, not starting with one of the last three.
 */
const ENGINE_NAME = {
  Network: /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/,
  Volume: /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/,
};

/**
 * `spec.name` of an owned (not external) Network or Volume: the engine name berth creates and
 * owns it under instead of `<project>-<name>` (F134). Undefined when unset or external; an
 * invalid name is reported (E_ENGINE_NAME) and dropped.
 */
export function ownedEngineName(
  raw: Record<string, unknown> | undefined,
  kind: 'Network' | 'Volume',
  ctx: NormaliseContext,
): string | undefined {
  if (!raw || raw.external === true || typeof raw.name !== 'string') return undefined;
  if (ENGINE_NAME[kind].test(raw.name)) return raw.name;
  ctx.report(
    'E_ENGINE_NAME',
    ['spec', 'name'],
    `"${raw.name}" is not a ${kind.toLowerCase()} name the engine accepts ` +
      `(letters, digits, _ . -, starting with a letter or digit${kind === 'Volume' ? ', at least two characters' : ''})`,
  );
  return undefined;
}
