import { isRecord } from './located.js';
import type { ServiceWork } from './service-work.js';
import { lose } from './state.js';
import { text } from './values.js';
import { COMPOSE_SPELLINGS, variableWithComposeDefault } from '../validate/typed-variables.js';

/**
 * `restart:` → restartPolicy, `on-failure:N` with restartMaxRetries N (0: no limit). A
 * variable with a default of Compose's words is kept as written: berth takes those words for an
 * interpolated restartPolicy (specs/validate/typed-variables.ts, F136). So is a variable
 * without a default that the project's `.env` (or the environment) sets to one of them
 * (`restart: ${RESTART_POLICY}` beside `RESTART_POLICY=unless-stopped`): the `.env` is copied
 * beside the manifests, and apply resolves it the same way.
 */
export function restart(w: ServiceWork, value: unknown, key: string): void {
  if (
    variableWithComposeDefault(text(value), 'restartPolicy') ||
    variableSetToComposeWord(w, text(value))
  ) {
    w.spec.restartPolicy = text(value);
    return;
  }
  const [policy, retries] = text(value).split(':');
  const map: Record<string, string> = {
    no: 'Never',
    always: 'Always',
    'unless-stopped': 'Always',
    'on-failure': 'OnFailure',
  };
  const mapped = map[policy ?? ''];
  if (!mapped)
    return lose(
      w.state,
      w.svc,
      key,
      `services.${w.service}.${key}`,
      `restart policy ${text(value)} is not one berth knows`,
    );
  w.spec.restartPolicy = mapped;
  // Written out, "no" says: do not restart it (a one-off task, typically). Never keeps it
  // exited once it stopped; docker compose up would start it again (restartByDefault).
  if (mapped === 'Never')
    w.notes.push(
      'restartPolicy Never: restart "no" keeps it exited once it stopped (docker compose up ' +
        'would start it again on the next up; for that, set Always)',
    );
  // on-failure:N → restartMaxRetries N (F602); Compose refuses a count with another policy.
  if (retries && mapped === 'OnFailure' && /^[1-9]\d*$/.test(retries))
    w.spec.restartMaxRetries = Number(retries);
  else if (retries && !(mapped === 'OnFailure' && retries === '0'))
    lose(
      w.state,
      w.svc,
      key,
      `services.${w.service}.${key}:${retries}`,
      'a retry count is carried only as on-failure:N with N a whole number',
    );
}

/** `${NAME}` or `$NAME`, the whole value, set at import to one of Compose's restart words. */
function variableSetToComposeWord(w: ServiceWork, value: string): boolean {
  const match = /^\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))$/.exec(value.trim());
  const name = match?.[1] ?? match?.[2];
  const resolved = name === undefined ? undefined : w.state.variables(name);
  return resolved !== undefined && COMPOSE_SPELLINGS.restartPolicy?.[resolved] !== undefined;
}

/**
 * A service without `restart:` (F23b). Compose sets the engine policy `no`, and every
 * `docker compose up` starts the container again when it is not running. Under berth's
 * lifecycle (DESIGN.md) only `Always` makes `apply` start an exited container whatever its
 * exit code (`OnFailure` keeps one that exited 0 after `docker stop`, as most servers do;
 * `Never` keeps every exited one), so that is the mapping; berth and the engine then also
 * restart it after a crash, where Compose waits for the next `up`. A service another one
 * waits for with `service_completed_successfully` is a job: `Never` keeps it exited once it
 * completed, and fails its dependants at once when it did not.
 */
export function restartByDefault(w: ServiceWork): void {
  const waiter = Object.entries(w.state.project.services).find(([, other]) => {
    const deps = other.depends_on;
    const options = isRecord(deps) ? deps[w.service] : undefined;
    return isRecord(options) && options.condition === 'service_completed_successfully';
  })?.[0];
  w.spec.restartPolicy = waiter === undefined ? 'Always' : 'Never';
  w.notes.push(
    waiter === undefined
      ? 'restartPolicy Always: the service sets no restart, and docker compose up starts it again ' +
          'whenever it is not running; berth apply does that under Always (a one-off task that ' +
          'should stay exited: set Never)'
      : `restartPolicy Never: the service sets no restart, and services.${waiter} waits for it ` +
          'with service_completed_successfully: a job, kept exited once it completed',
  );
}
