/**
 * Whether a document read from a manifest folder is a Compose file rather than a berth
 * manifest: a mapping with `services` and neither `apiVersion` nor `kind`. validate says so
 * and points at `berth import` (validate/document.ts); the parser does not report its
 * variables first (F804: an unset `${TAG}` hid that the file is a Compose file, whose
 * variables import keeps as written).
 */
export function isComposeDocument(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  return record.apiVersion === undefined && record.kind === undefined && 'services' in record;
}
