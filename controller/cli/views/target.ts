import type { DesiredObject, Kind, ReplicaOf } from '../../../specs/model.js';
import { BerthError } from '../../errors.js';
import { closestMatch } from '../../../specs/validate/suggest.js';

/** Every spelling of a kind the CLI accepts, kubectl style: singular, plural, short name. */
const KIND_NAMES: Record<string, Kind> = {
  container: 'Container',
  containers: 'Container',
  ctr: 'Container',
  image: 'Image',
  images: 'Image',
  img: 'Image',
  network: 'Network',
  networks: 'Network',
  net: 'Network',
  volume: 'Volume',
  volumes: 'Volume',
  vol: 'Volume',
  bindmount: 'BindMount',
  bindmounts: 'BindMount',
  bm: 'BindMount',
  secret: 'Secret',
  secrets: 'Secret',
  config: 'Config',
  configs: 'Config',
  cm: 'Config',
};

/** `KIND`, `KIND/NAME`, or nothing (every object). */
export interface Target {
  kind?: Kind;
  name?: string;
}

/**
 * Parses a `get`/`describe` argument; the kind is case-insensitive. An unknown kind is a usage
 * error (E_USAGE) naming the accepted ones.
 */
export function parseTarget(raw: string | undefined): Target {
  if (raw === undefined || raw === '') return {};
  const slash = raw.indexOf('/');
  const kindText = slash < 0 ? raw : raw.slice(0, slash);
  const name = slash < 0 ? undefined : raw.slice(slash + 1);
  const kind = KIND_NAMES[kindText.toLowerCase()];
  if (!kind) {
    // `get containerz`: the nearest spelling, as validate does for fields (F668 b).
    const close = closestMatch(kindText, Object.keys(KIND_NAMES));
    const guess = close === undefined ? '' : `; did you mean "${close}"?`;
    throw new BerthError('E_USAGE', `unknown kind "${kindText}"${guess}`, {
      hint:
        (slash < 0 ? `to name an object use KIND/NAME, e.g. container/${kindText}; ` : '') +
        'kinds: container (ctr), image (img), network (net), volume (vol), bindmount (bm), ' +
        'secret, config (cm)',
    });
  }
  if (name === '') throw new BerthError('E_USAGE', `"${raw}" names no object; use KIND/NAME`);
  return name === undefined ? { kind } : { kind, name };
}

/**
 * The target of `get`/`describe` given kubectl's way too: `KIND NAME` is `KIND/NAME`
 * (`kubectl get pod web`; new-user trial F28). Both forms at once are a usage error.
 */
export function parseTargetArgs(raw: string | undefined, name: string | undefined): Target {
  if (name === undefined) return parseTarget(raw);
  if (raw?.includes('/'))
    throw new BerthError('E_USAGE', `"${raw} ${name}": give KIND/NAME or KIND NAME, not both`);
  return parseTarget(`${raw}/${name}`);
}

/**
 * Whether `get`/`describe` was given one word that is no kind (`berth describe web`): it may
 * be an object's bare name ({@link bareNameError}).
 */
export function isKindless(raw: string | undefined, name: string | undefined): raw is string {
  return (
    raw !== undefined &&
    raw !== '' &&
    name === undefined &&
    !raw.includes('/') &&
    KIND_NAMES[raw.toLowerCase()] === undefined
  );
}

/**
 * `berth describe web` where the project has objects named `web`: the usage error names the
 * command meant, `did you mean "berth describe container web"?` (every kind with that name,
 * F668 a); undefined when none has it. The kind stays required, as in kubectl (`describe TYPE
 * NAME`): berth sets often hold an Image and a Container of the same name, so a bare name
 * that works today would turn ambiguous, and break a script, when the other is declared.
 * `keys`: the project's `Kind/name`s.
 */
export function bareNameError(
  verb: string,
  word: string,
  keys: Iterable<string>,
): BerthError | undefined {
  const kinds = [...keys]
    .filter((k) => k.slice(k.indexOf('/') + 1) === word)
    .map((k) => k.slice(0, k.indexOf('/')).toLowerCase());
  if (kinds.length === 0) return undefined;
  const commands = [...new Set(kinds)].map((kind) => `"berth ${verb} ${kind} ${word}"`);
  return new BerthError(
    'E_USAGE',
    `unknown kind "${word}"; did you mean ${commands.join(' or ')}?`,
    { hint: `${verb} takes KIND NAME or KIND/NAME, as kubectl ${verb} does` },
  );
}

/** True when an object of `kind`/`name` is selected by the target. */
export function selects(target: Target, object: { kind: Kind; name: string }): boolean {
  return (
    (target.kind === undefined || target.kind === object.kind) &&
    (target.name === undefined || target.name === object.name)
  );
}

/**
 * The declared names a `KIND/NAME` target stands for when NAME is a Container declared with
 * `replicas` above 1: its instances `NAME-1`, `NAME-2`, … by index (as `logs NAME` and
 * `exec NAME` read it, and as Compose's service name covers every replica); empty otherwise.
 */
export function replicaNames(desired: readonly DesiredObject[], target: Target): string[] {
  if (target.name === undefined || (target.kind !== undefined && target.kind !== 'Container'))
    return [];
  return desired
    .flatMap((o): ReplicaOf[] => {
      const replica = o.kind === 'Container' ? o.replica : undefined;
      return replica && replica.of === target.name ? [replica] : [];
    })
    .sort((a, b) => a.index - b.index)
    .map((r) => `${r.of}-${r.index}`);
}
