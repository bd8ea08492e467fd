/**
 * The spec as people write it where the model keeps numbers people never read: a mount's
 * file `mode` is permission bits, shown in octal as declared (`"0444"`, `"1777"`), not `292`
 * or `1023` (F465 d, F546). For the text views (`describe`, `diff`); `-o json|yaml` keep the
 * model's number.
 */
export function withOctalModes(spec: unknown): unknown {
  const mounts = (spec as { mounts?: unknown } | null)?.mounts;
  if (!Array.isArray(mounts)) return spec;
  return {
    ...(spec as object),
    mounts: mounts.map((m: unknown) => {
      const mode = (m as { mode?: unknown }).mode;
      return typeof mode === 'number'
        ? { ...(m as object), mode: mode.toString(8).padStart(4, '0') }
        : m;
    }),
  };
}
