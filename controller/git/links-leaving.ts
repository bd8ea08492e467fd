import { readdir, readlink } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

/** A symbolic link of a checkout whose target lies outside it. */
export interface LeavingLink {
  /** The link, relative to the checkout (`deploy/host.yaml`). */
  path: string;
  /** Its target as committed (`/etc/shadow`, `../../outside`). */
  target: string;
}

/**
 * The symbolic links in the checkout `root` that lead outside it, in walk order (at most
 * `limit`). A git source applies what the commit holds: a committed link to a host file
 * (`deploy/app.yaml -> /srv/other/app.yaml`) would make berth read the host instead (F159;
 * Argo CD refuses such links too, CVE-2022-24904). Judged from the text of each link alone,
 * as git stores it: an absolute target always leaves (the checkout is berth's own folder, no
 * commit can know its path); a relative one leaves when it climbs above `root`. A chain of
 * links each staying inside stays inside. Only names are read, never file contents.
 */
export async function linksLeaving(root: string, limit = 5): Promise<LeavingLink[]> {
  const found: LeavingLink[] = [];
  const walk = async (folder: string): Promise<void> => {
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      if (found.length >= limit) return;
      const path = join(folder, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isSymbolicLink()) {
        const target = await readlink(path);
        if (leaves(root, path, target)) found.push({ path: relative(root, path), target });
      }
    }
  };
  await walk(root);
  return found;
}

function leaves(root: string, link: string, target: string): boolean {
  if (isAbsolute(target)) return true;
  const inside = relative(root, resolve(dirname(link), target));
  return inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside);
}
