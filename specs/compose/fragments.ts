import { closestMatch } from '../validate/suggest.js';
import { byPosition, namedReferences } from './consistency.js';
import type { ComposeProject } from './load.js';
import { whereKey, whereNode } from './located.js';
import type { Where } from './located.js';
import type { Loss } from './state.js';

/**
 * Networks and volumes a service names that no file of the project declares, and that are not
 * one typo away from a declared one, are declared here as external (used by name, never created,
 * changed or deleted) and each is returned as a Loss.
 *
 * Why not refuse, as `docker compose` does: such files are fragments of a platform that provides
 * the object — runtipi's app store has every app join `tipi_main_network`, authelia's suites
 * `authelianet` — and refusing them leaves the user nothing to start from. Imported as external,
 * `berth apply` stops before any change while the engine lacks the object, naming it, so nothing
 * is created in its place. A name one typo from a declared one (`pgdata` beside `pg_data`) is
 * left undeclared and refused by checkProject: a typo must never become a fresh empty volume
 * (FINDINGS F12).
 */
export function declareExternalFromElsewhere(project: ComposeProject, fallback: Where): Loss[] {
  const losses: Loss[] = [];
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
      project[section][name] = { external: true };
      const kind = section === 'networks' ? 'network' : 'volume';
      losses.push({
        where: whereKey(tree, key) ?? at,
        path,
        why: `${kind} ${name} is not declared in these Compose files: imported as an external ${kind} (used by name, never created); apply stops before any change until it exists — create it, or import with the file that declares it`,
      });
    }
  }
  return losses.sort(byPosition);
}
