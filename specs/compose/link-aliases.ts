import { networkObject } from './shared.js';
import { berthName, lose, whereIn } from './state.js';
import type { ImportedObject, ImportState, LinkAlias } from './state.js';

/**
 * Link aliases as network aliases of the linked service (F135). docker compose sends a link
 * as `EndpointSettings.Links` on every network, so only the linking container resolves the
 * alias; berth has no per-container link, so the alias goes on the linked container's
 * attachments to the networks both share, where every container on them resolves it — said
 * as a warning. It stays a loss where it cannot be carried that way: an alias that is
 * another service's name or alias on those networks, one that two links give to different
 * services, a service in a network mode, or no network both join.
 */
export function carryLinkAliases(state: ImportState, links: LinkAlias[]): void {
  for (const link of links) {
    const why = unfitWhy(state, link, links);
    const path = `services.${link.linker}.links[${link.index}]`;
    const head = `alias ${link.alias} for ${link.target}`;
    if (why !== undefined) {
      lose(state, link.list, link.index, path, `${head}: ${why}`);
      continue;
    }
    const shared = sharedNetworks(state, link)!;
    addAlias(state, container(state, link.target)!, shared, link.alias);
    state.warnings.push({
      where: whereIn(state, link.list, link.index),
      message:
        `${path}: ${head} is written as a network alias of ${berthName(state, 'service', link.target)} ` +
        `on ${shared.join(', ')}: every container there resolves it, not only ${link.linker} ` +
        `(a Compose link alias is the linking container's own)`,
    });
  }
}

/** Why a link alias cannot become a network alias; undefined when it can. */
function unfitWhy(state: ImportState, link: LinkAlias, links: LinkAlias[]): string | undefined {
  const target = container(state, link.target);
  const linker = container(state, link.linker);
  if (!target || !linker) return `${link.target} runs no container here`;
  if (target.spec.networkMode !== undefined || linker.spec.networkMode !== undefined)
    return 'with network_mode there is no network to put the alias on';
  const shared = sharedNetworks(state, link);
  if (!shared?.length) return `${link.linker} and ${link.target} join no network together`;
  if (links.some((l) => l.alias === link.alias && l.target !== link.target))
    return `another link names ${link.target}'s alias ${link.alias} for another service`;
  const other = nameHolder(state, link, shared);
  if (other !== undefined)
    return `${other} is already called ${link.alias}; give ${link.target} the alias on a network instead`;
  return undefined;
}

/** Another container that answers to `link.alias` on one of `networks`, or to it as a name. */
function nameHolder(state: ImportState, link: LinkAlias, networks: string[]): string | undefined {
  const targetName = berthName(state, 'service', link.target);
  const alias = link.alias.toLowerCase();
  for (const object of state.objects.values()) {
    if (object.kind !== 'Container' || object.name === targetName) continue;
    if (object.name === alias) return object.name;
    for (const attachment of attachments(state, object))
      if (networks.includes(attachment.network) && attachment.aliases.includes(link.alias))
        return object.name;
  }
  const service = Object.keys(state.project.services).find(
    (s) => s.toLowerCase() === alias && s !== link.target,
  );
  return service;
}

/** The networks (berth names) both the linker and the target join. */
function sharedNetworks(state: ImportState, link: LinkAlias): string[] | undefined {
  const target = container(state, link.target);
  const linker = container(state, link.linker);
  if (!target || !linker) return undefined;
  const joined = new Set(attachments(state, linker).map((a) => a.network));
  return attachments(state, target)
    .map((a) => a.network)
    .filter((n) => joined.has(n));
}

/** A container's network attachments; none written means the project's default network. */
function attachments(
  state: ImportState,
  object: ImportedObject,
): { network: string; aliases: string[] }[] {
  if (object.spec.networkMode !== undefined) return [];
  const written = object.spec.networks;
  if (!Array.isArray(written))
    return [{ network: berthName(state, 'network', 'default'), aliases: [] }];
  return (written as Record<string, unknown>[]).map((a) => ({
    network: String(a.network),
    aliases: Array.isArray(a.aliases) ? a.aliases.map(String) : [],
  }));
}

function addAlias(
  state: ImportState,
  target: ImportedObject,
  networks: string[],
  alias: string,
): void {
  if (!Array.isArray(target.spec.networks))
    target.spec.networks = [{ network: networkObject(state, 'default') }];
  for (const attachment of target.spec.networks as Record<string, unknown>[]) {
    if (!networks.includes(String(attachment.network))) continue;
    const own = Array.isArray(attachment.aliases) ? (attachment.aliases as string[]) : [];
    if (!own.includes(alias)) attachment.aliases = [...own, alias];
  }
}

function container(state: ImportState, service: string): ImportedObject | undefined {
  const object = state.objects.get(`Container/${berthName(state, 'service', service)}`);
  return object?.kind === 'Container' ? object : undefined;
}
