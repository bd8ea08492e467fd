import type { DockerReads } from './docker-reads.js';

/**
 * Docker lets two networks share a name, and `CheckDuplicate: true` does not stop it:
 * on dockerd 20.10 (API 1.41) three concurrent creates of one name made three networks in
 * 4 of 5 rounds (ENGINE-NOTES.md; issue 19 item 7). So after each create berth looks again:
 * of all networks with that exact name, the oldest (creation time to the nanosecond, then
 * id) is the one; a creator whose network is not it removes its own — new, so nothing is
 * attached — and uses the oldest. Every creator sees the same oldest, so they agree.
 * Returns the id to use.
 */
export async function keepOldestOfName(
  reads: DockerReads,
  name: string,
  createdId: string,
  removeOwn: (id: string) => Promise<unknown>,
): Promise<string> {
  const same = (await reads.listNetworks({ filters: { name: [name] } })).filter(
    (n) => n.Name === name,
  );
  const oldest = [...same].sort(byAge)[0];
  if (!oldest || oldest.Id === createdId) return createdId;
  await removeOwn(createdId);
  return oldest.Id;
}

/** Oldest first: Docker's RFC 3339 times trim trailing zeros, so compare them as numbers. */
export function byAge(a: { Created?: string; Id: string }, b: { Created?: string; Id: string }) {
  const [ta, tb] = [nanos(a.Created), nanos(b.Created)];
  if (ta !== tb) return ta < tb ? -1 : 1;
  return a.Id < b.Id ? -1 : a.Id > b.Id ? 1 : 0;
}

/** Nanoseconds since the epoch of an RFC 3339 time (any fraction length); 0 when unreadable. */
function nanos(time: string | undefined): bigint {
  const match = /^(.*?:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(time ?? '');
  if (!match) return 0n;
  const seconds = Date.parse(`${match[1]}${match[3]}`);
  if (Number.isNaN(seconds)) return 0n;
  const fraction = (match[2] ?? '').padEnd(9, '0').slice(0, 9);
  return BigInt(seconds) * 1_000_000n + BigInt(fraction);
}
