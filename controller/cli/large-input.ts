import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Whether the paths among `args` hold at least `bytes` of manifests: a file named, or the
 * `.yaml`/`.yml` files of a folder named (and of its folders, up to `maxEntries` looked at).
 * Only a guess, before the command line is parsed, of whether starting a worker for the YAML
 * (specs/parse/yaml-helper.ts) pays: any argument that is a path counts, an option value
 * too. A wrong guess costs time, never a different result.
 */
export function manifestsAtLeast(args: string[], bytes: number, maxEntries = 256): boolean {
  let total = 0;
  let budget = maxEntries;
  const visit = (path: string, named: boolean): void => {
    if (total >= bytes || budget-- <= 0) return;
    const info = statSync(path, { throwIfNoEntry: false });
    if (info?.isFile() && (named || /\.ya?ml$/.test(path))) total += info.size;
    else if (info?.isDirectory())
      for (const name of readdirOrNone(path)) visit(join(path, name), false);
  };
  for (const arg of args) if (!arg.startsWith('-')) visit(arg, true);
  return total >= bytes;
}

function readdirOrNone(path: string): string[] {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
}
