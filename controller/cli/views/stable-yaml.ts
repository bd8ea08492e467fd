import { stringify } from 'yaml';
import { sortKeys } from './sort-keys.js';

/** YAML with sorted keys; same fields as the JSON (its own module: only `-o yaml` loads yaml). */
export function toStableYaml(value: unknown): string {
  return stringify(sortKeys(value), { lineWidth: 0 });
}
