import { closestMatch } from '../validate/suggest.js';
import { byPosition, namedReferences } from './consistency.js';
import type { ComposeProject } from './load.js';
import { whereKey, whereNode } from './located.js';
import type { Where } from './located.js';
import type { ImportWarning, Loss } from './state.js';

/** What declareFromElsewhere adopted: losses (networks), warnings (volumes), and where. */
export interface FromElsewhere {
  losses: Loss[];
  warnings: ImportWarning[];
  /** Volumes no file declares, now project volumes → their first reference. */
  undeclaredVolumes: Map<string, Where>;
}

/**
 * Networks and volumes a service names that no file of the project declares, and that are not
 * one typo away from a declared one, are declared here; `docker compose` refuses such files.
 * A name one typo from a declared one (`pgdata` beside `pg_data`) is left undeclared and
 * refused by checkProject: a typo must never become a fresh empty volume (FINDINGS F12).
 *
 * A network is declared external (used by name, never created, changed or deleted), with a
 * Loss: such files are fragments of a platform that provides it — runtipi's app store has every
 * app join `tipi_main_network`, authelia's suites `authelianet` — and refusing them leaves the
 * user nothing to start from. `berth apply` stops before any change while the engine lacks it.
 *
 * A volume is declared as a project volume (created empty on first apply), with a warning: that
 * is what the platform that writes such files does — Coolify's templates (328 of 368) name
 * their volumes only under `services:`, and Coolify declares each one for the app
 * (`<uuid>_<name>`, bootstrap/helpers/parsers.php) — and what the rare plain Compose file
 * meant (docker-library's yourls forgets `volumes: {db:}`). Nothing the file asks for is
 * dropped. As external, the output could never apply until someone created the volume by hand.
 */
export function declareFromElsewhere(project: ComposeProject, fallback: Where): FromElsewhere {
  const out: FromElsewhere = { losses: [], warnings: [], undeclaredVolumes: new Map() };
  // Judged against what the files declare, never against names adopted here: a second
  // undeclared volume (`redis-data`) is not a typo of a first one (`rails-data`).
  const declared = {
    networks: Object.keys(project.networks),
    volumes: Object.keys(project.volumes),
  };
  for (const [service, svc] of Object.entries(project.services)) {
    const at = whereKey(project.services, service) ?? whereNode(svc) ?? fallback;
    for (const { section, name, tree, key, path } of namedReferences(service, svc)) {
      if (name in project[section]) continue;
      if (closestMatch(name, declared[section]) !== undefined) continue;
      const where = whereKey(tree, key) ?? at;
      if (section === 'volumes') adoptVolume(project, out, { name, path, where });
      else adoptNetwork(project, out, { name, path, where });
    }
  }
  out.losses.sort(byPosition);
  out.warnings.sort(byPosition);
  return out;
}

/** One reference to a network or volume no file declares. */
interface Reference {
  name: string;
  path: string;
  where: Where;
}

function adoptNetwork(project: ComposeProject, out: FromElsewhere, ref: Reference): void {
  project.networks[ref.name] = { external: true };
  const platform = PLATFORM_NETWORKS[ref.name];
  out.losses.push({
    where: ref.where,
    path: ref.path,
    why:
      `network ${ref.name} is not declared in these Compose files: imported as an external network (used by name, never created); apply stops before any change until it exists — create it, or import with the file that declares it` +
      (platform ? `; ${platform}` : ''),
  });
}

/**
 * Networks app stores leave to their platform, and the engine name the platform gives them
 * (F310): said in the loss, never written, since import cannot see the engine. runtipi's
 * generated compose declares `tipi_main_network: {name: runtipi_tipi_main_network, external:
 * true}` for every app.
 */
const PLATFORM_NETWORKS: Readonly<Record<string, string>> = {
  tipi_main_network:
    'runtipi creates it as runtipi_tipi_main_network: on a runtipi host, set spec.name: runtipi_tipi_main_network on the Network',
};

function adoptVolume(project: ComposeProject, out: FromElsewhere, ref: Reference): void {
  project.volumes[ref.name] = {};
  out.undeclaredVolumes.set(ref.name, ref.where);
  out.warnings.push({
    where: ref.where,
    message: `${ref.path}: volume ${ref.name} is not declared under volumes: in these Compose files (docker compose refuses this; Coolify declares it for the app): declared as a project volume, created empty on first apply`,
  });
}
