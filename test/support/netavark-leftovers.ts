import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/**
 * The suffix netavark (Podman's network stack, 1.4 here) gives the firewall chains of a
 * network: the first 13 characters of the upper-case hex SHA-512 of the network's name
 * (netavark's `CoreUtils::create_network_hash`). Its chains are `NETAVARK-<hash>` (nat,
 * masquerade) and `NETAVARK-DN-<hash>` (nat, published ports).
 */
export function netavarkNetworkHash(networkName: string): string {
  return createHash('sha512').update(networkName).digest('hex').slice(0, 13).toUpperCase();
}

/** Both address families: netavark writes IPv6 rules for IPv6 networks. */
const TOOLS = ['iptables', 'ip6tables'] as const;
const TABLES = ['nat', 'filter'] as const;

async function rules(tool: string, table: string): Promise<string[]> {
  // -w: wait for the xtables lock dockerd may hold, rather than fail.
  const { stdout } = await execFileAsync(tool, ['-w', '-t', table, '-S']).catch(() => ({
    stdout: '',
  }));
  return stdout.split('\n').filter(Boolean);
}

async function run(tool: string, table: string, args: string[]): Promise<void> {
  await execFileAsync(tool, ['-w', '-t', table, ...args]).catch(() => undefined);
}

/**
 * Removes the firewall chains netavark left behind for the named networks, and every rule
 * that jumps into them, in both address families. Only chains whose name carries one of
 * these networks' hashes are touched (never Docker's, never another network's), so it is
 * meant for names only one Podman service on the host used (the tests' project networks).
 * netavark 1.4 removes most of a network's rules when its last container goes, but leaves
 * some behind (an empty `NETAVARK-DN-…` after a container with published ports; every rule of
 * a service that was killed). Returns how many rules and chains it removed.
 */
export async function removeNetavarkLeftovers(networkNames: Iterable<string>): Promise<number> {
  const ours = new Set<string>();
  for (const name of networkNames) {
    const hash = netavarkNetworkHash(name);
    ours.add(`NETAVARK-${hash}`).add(`NETAVARK-DN-${hash}`);
  }
  if (ours.size === 0) return 0;
  let removed = 0;
  for (const tool of TOOLS) {
    for (const table of TABLES) {
      const lines = await rules(tool, table);
      const chains = lines
        .filter((line) => line.startsWith('-N '))
        .map((line) => line.slice(3))
        .filter((chain) => ours.has(chain));
      if (chains.length === 0) continue;
      for (const line of lines) {
        const target = / -[jg] (\S+)/.exec(line)?.[1];
        if (!line.startsWith('-A ') || !target || !ours.has(target)) continue;
        // `-S` prints a rule as `-A CHAIN spec…`; `-D CHAIN spec…` deletes exactly that rule.
        await run(tool, table, ['-D', ...splitRule(line.slice(3))]);
        removed++;
      }
      for (const chain of chains) {
        await run(tool, table, ['-F', chain]);
        await run(tool, table, ['-X', chain]);
        removed++;
      }
    }
  }
  return removed;
}

/**
 * Removes the rules of netavark's isolation chains that name a bridge that no longer exists.
 * netavark 1.4 leaves them when an isolated network goes (seen: `-i podman1 ! -o podman1`
 * after its last container was removed), and the next Podman network that is given the same
 * bridge name inherits them. A live network's bridge always exists. Returns how many it removed.
 */
export async function removeDeadIsolationRules(): Promise<number> {
  const present = new Set(readdirSync('/sys/class/net'));
  let removed = 0;
  for (const tool of TOOLS) {
    for (const line of await rules(tool, 'filter')) {
      if (!/^-A NETAVARK_ISOLATION_[12] /.test(line)) continue;
      const bridges = [...line.matchAll(/ -[io] (\S+)/g)].map((m) => m[1] ?? '');
      if (bridges.every((bridge) => present.has(bridge))) continue;
      await run(tool, 'filter', ['-D', ...splitRule(line.slice(3))]);
      removed++;
    }
  }
  return removed;
}

/**
 * netavark's shared chains, which it keeps (teardown policy "never") and makes again on the
 * next network it sets up: the hook jumps from PREROUTING, OUTPUT, POSTROUTING and FORWARD,
 * and the chains themselves.
 */
const SHARED_CHAINS = new Set([
  'NETAVARK_FORWARD',
  'NETAVARK_ISOLATION_1',
  'NETAVARK_ISOLATION_2',
  'NETAVARK-HOSTPORT-DNAT',
  'NETAVARK-HOSTPORT-MASQ',
  'NETAVARK-HOSTPORT-SETMARK',
]);

/** Rules netavark puts in its shared chains once and never takes out, content-free. */
const FIXED_RULE = /^-A NETAVARK-HOSTPORT-(MASQ|SETMARK) /;

/**
 * Removes netavark's shared chains and the jumps into them when no Podman network on the
 * host uses them: no other NETAVARK chain exists and the shared ones hold nothing but their
 * fixed rules. Leaves everything as it is otherwise (a Podman of someone else's is running).
 * Returns how many rules and chains it removed.
 */
export async function removeIdleNetavarkChains(): Promise<number> {
  const tables: { tool: string; table: string; lines: string[] }[] = [];
  for (const tool of TOOLS) {
    for (const table of TABLES) tables.push({ tool, table, lines: await rules(tool, table) });
  }
  for (const { lines } of tables) {
    for (const line of lines) {
      const [kind, chain = ''] = line.split(' ');
      if (!chain.startsWith('NETAVARK') || FIXED_RULE.test(line)) continue;
      if (kind === '-N' && !SHARED_CHAINS.has(chain)) return 0;
      if (kind === '-A') return 0;
    }
  }
  let removed = 0;
  for (const { tool, table, lines } of tables) {
    const chains = lines
      .filter((line) => line.startsWith('-N NETAVARK'))
      .map((line) => line.slice(3));
    for (const line of lines) {
      const target = / -[jg] (\S+)/.exec(line)?.[1] ?? '';
      if (!line.startsWith('-A ') || line.startsWith('-A NETAVARK') || !SHARED_CHAINS.has(target))
        continue;
      await run(tool, table, ['-D', ...splitRule(line.slice(3))]);
      removed++;
    }
    for (const chain of chains) await run(tool, table, ['-F', chain]);
    for (const chain of chains) {
      await run(tool, table, ['-X', chain]);
      removed++;
    }
  }
  return removed;
}

/** Splits an `iptables -S` rule into arguments, keeping double-quoted comments whole. */
function splitRule(rule: string): string[] {
  return [...rule.matchAll(/"((?:[^"\\]|\\.)*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? '');
}

/** How many firewall lines (chains and rules, both families) mention NETAVARK now. */
export async function netavarkRuleCount(): Promise<number> {
  let count = 0;
  for (const tool of TOOLS) {
    for (const table of TABLES) {
      count += (await rules(tool, table)).filter((line) => line.includes('NETAVARK')).length;
    }
  }
  return count;
}

/**
 * Where netavark keeps the name records of aardvark-dns (Podman's DNS server) as root: one
 * file a network, named for it. Podman 4.3 shares this folder (and the one aardvark-dns
 * process it names in `aardvark.pid`) between every rootful Podman on the host, whatever its
 * own root and network folder; there is no setting for it.
 */
export const AARDVARK_DIR = '/run/containers/networks/aardvark-dns';

/**
 * Removes the aardvark-dns records of the named networks and tells aardvark-dns to reload
 * (SIGHUP, as netavark does). A record outlives a service that was killed: aardvark-dns
 * then answers its names (say `web` → 10.89.0.10) to every later network with the same
 * gateway address, and a client of a new `web` got "No route to host". Returns how many
 * records it removed.
 */
export function removeAardvarkRecords(networkNames: Iterable<string>): number {
  let removed = 0;
  for (const name of networkNames) {
    const file = join(AARDVARK_DIR, name);
    if (name.includes('/') || !existsSync(file)) continue;
    rmSync(file, { force: true });
    removed++;
  }
  if (removed === 0) return 0;
  const pid = Number(readFileSync(join(AARDVARK_DIR, 'aardvark.pid'), 'utf8').trim() || 0);
  try {
    if (pid > 0) process.kill(pid, 'SIGHUP');
  } catch {
    // Not running any more: nothing to reload.
  }
  return removed;
}
