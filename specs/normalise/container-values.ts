import type { ContainerSpec } from '../model.js';
import type { NormaliseContext } from './context.js';

// Values the schema lets through but the engine refuses at create or start (after the
// project's network was made), or takes with another meaning (F195). Checked here so
// `validate` says so at file:line:col and nothing is changed on the engine.

/** runc's limit for a uid or gid (user.go: "uids and gids must be in range 0-2147483647"). */
const MAX_ID = 2147483647;

/** The healthcheck's first word, as the engine reads `Test` (anything else is never run). */
const HEALTHCHECK_WORDS = new Set(['CMD', 'CMD-SHELL', 'NONE']);

/**
 * Checks a normalised container's free-text fields: absolute in-container paths (`workingDir`,
 * bind/volume/tmpfs targets), env names (non-empty, no `=`, no NUL), a healthcheck that starts
 * with CMD/CMD-SHELL/NONE, `user` as `user[:group]` with ids in runc's range, and no NUL byte
 * in command, args or env values (the kernel cuts a C string there). Reports E_SCHEMA/E_RANGE.
 */
export function checkContainerValues(spec: ContainerSpec, ctx: NormaliseContext): void {
  const schema = (path: (string | number)[], text: string) => ctx.report('E_SCHEMA', path, text);
  if (spec.workingDir !== undefined && !spec.workingDir.startsWith('/'))
    schema(['spec', 'workingDir'], `"${spec.workingDir}" must be an absolute path (start with /)`);
  spec.mounts.forEach((m, i) => {
    if (m.type === 'secret' || m.type === 'config' || m.target.startsWith('/')) return;
    const field = m.type === 'tmpfs' ? 'tmpfs' : 'target';
    schema(['spec', 'mounts', i, field], `"${m.target}" must be an absolute path in the container`);
  });
  for (const [name, value] of Object.entries(spec.env)) {
    if (name === '' || name.includes('=') || name.includes('\0'))
      schema(
        ['spec', 'env'],
        `${JSON.stringify(name)} is not an environment variable name (empty, or holds = or NUL)`,
      );
    else if (value.includes('\0'))
      schema(['spec', 'env', name], `the value of ${name} holds a NUL byte`);
  }
  const word = spec.healthcheck?.command[0];
  if (word !== undefined && !HEALTHCHECK_WORDS.has(word))
    schema(
      ['spec', 'healthcheck', 'command', 0],
      `starts with "${word}"; the engine runs a healthcheck only as [CMD, …], [CMD-SHELL, "…"] or [NONE]`,
    );
  if (spec.user !== undefined) checkUser(spec.user, ctx);
  for (const field of ['command', 'args'] as const)
    spec[field]?.forEach((arg, i) => {
      if (arg.includes('\0')) schema(['spec', field, i], 'holds a NUL byte');
    });
}

/**
 * `user`, `uid`, `user:group` or `uid:gid` (blank means the image's default). Either side may
 * be empty, as the engine takes it: `:` runs as uid 0, `1000:` with the user's own group —
 * what Compose sends for `user: "${PUID}:${PGID}"` when the variables are unset.
 */
function checkUser(user: string, ctx: NormaliseContext): void {
  if (user.trim() === '') return;
  const parts = user.split(':');
  if (parts.length > 2 || parts.some((p) => /\s|\0/.test(p))) {
    ctx.report(
      'E_SCHEMA',
      ['spec', 'user'],
      `"${user}" is not user[:group] (a name or a number each)`,
    );
    return;
  }
  for (const part of parts)
    if (/^[+-]?\d+$/.test(part) && (Number(part) > MAX_ID || Number(part) < 0))
      ctx.report(
        'E_RANGE',
        ['spec', 'user'],
        `${part} is outside 0–${MAX_ID}, the ids the engine accepts`,
      );
}
