import { ComposeInputError, isRecord, whereKey, whereNode } from './located.js';
import type { Where } from './located.js';

/**
 * Service fields whose list items Compose types as strings (or numbers): a mapping or list
 * among them is refused by docker compose (`services.a.environment contains ["nested"],
 * which is an invalid type, it should be a string`), so import refuses it too instead of
 * writing `[object Object]` or JSON into the output (F274).
 */
const SCALAR_ITEMS = new Set([
  'environment',
  'labels',
  'annotations',
  'sysctls',
  'extra_hosts',
  'command',
  'entrypoint',
  'dns',
  'dns_search',
  'dns_opt',
  'tmpfs',
  'cap_add',
  'cap_drop',
  'expose',
  'security_opt',
  'group_add',
  'links',
  'external_links',
  'volumes_from',
  'device_cgroup_rules',
  'profiles',
]);

/** Fields whose list items may be a mapping (the long syntax) but not a list. */
const NO_LIST_ITEMS = new Set(['ports', 'volumes', 'devices', 'secrets', 'configs', 'env_file']);

/** Mapping fields whose values Compose types as string, number, boolean or null. */
const SCALAR_VALUES = new Set(['environment', 'labels', 'annotations', 'sysctls']);

/**
 * Throws ComposeInputError at the first list item or mapping value of `svc` whose type
 * Compose refuses (see SCALAR_ITEMS): `services.a.environment[1]: must be a string`.
 * Checked on the file as written, before normalising turns lists into mappings.
 */
export function checkItemTypes(svc: Record<string, unknown>, name: string, at: Where): void {
  for (const [key, value] of Object.entries(svc)) {
    const path = `services.${name}.${key}`;
    const where = whereKey(svc, key) ?? at;
    checkField(key, value, path, where);
    if (key === 'healthcheck' && isRecord(value))
      checkList(value.test, `${path}.test`, where, false);
    if (key === 'build' && isRecord(value))
      for (const sub of ['args', 'labels'])
        checkField('labels', value[sub], `${path}.${sub}`, whereKey(value, sub) ?? where);
  }
}

function checkField(key: string, value: unknown, path: string, where: Where): void {
  if (SCALAR_ITEMS.has(key)) checkList(value, path, where, false);
  if (NO_LIST_ITEMS.has(key)) checkList(value, path, where, true);
  if (SCALAR_VALUES.has(key) && isRecord(value))
    for (const [k, v] of Object.entries(value))
      if (isComposite(v))
        throw new ComposeInputError(
          whereNode(v) ?? whereKey(value, k) ?? where,
          `${path}.${k}: must be a string, a number, true or false or null`,
        );
}

function checkList(value: unknown, path: string, where: Where, mappingAllowed: boolean): void {
  if (!Array.isArray(value)) return;
  value.forEach((item, i) => {
    if (!isComposite(item) || (mappingAllowed && isRecord(item))) return;
    throw new ComposeInputError(
      whereNode(item) ?? whereKey(value, i) ?? where,
      `${path}[${i}]: must be a string${mappingAllowed ? ' or a mapping' : ''}`,
    );
  });
}

function isComposite(value: unknown): boolean {
  return typeof value === 'object' && value !== null;
}
