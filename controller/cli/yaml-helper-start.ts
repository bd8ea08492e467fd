import { join } from 'node:path';
import { SPLIT_BYTES } from '../../specs/parse/yaml-worker-protocol.js';
import { startYamlHelper } from '../../specs/parse/yaml-helper.js';
import type { YamlLoadHelper } from '../../specs/parse/split-load.js';
import { entryFs } from './entry-fs.js';

const { readdirSync, statSync } = entryFs();

/**
 * Starts the worker `workerFile` that reads half of a large manifest
 * (specs/parse/split-load.ts; issue 12: validate of 1,000 objects ≤ 300 ms on two cores) when
 * it can pay: the paths among `args` hold {@link SPLIT_BYTES} of manifests or more, and a
 * core is free for it. Starting a worker costs ~70 ms of CPU on its own core; on a machine
 * whose every core is busy (load average at or above the cores) that time is taken from the
 * CLI itself and from everyone else. Either way the result is the same; only time differs.
 */
export function startYamlHelperFor(args: string[], workerFile: string): YamlLoadHelper | undefined {
  if (!coreToSpare() || !manifestsAtLeast(args, SPLIT_BYTES)) return undefined;
  return startYamlHelper(workerFile);
}

function coreToSpare(): boolean {
  const os = process.getBuiltinModule('node:os');
  return os.availableParallelism() > 1 && (os.loadavg()[0] ?? 0) < os.availableParallelism();
}

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
