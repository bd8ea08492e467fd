/**
 * Linux capability and signal names, so a typo in `capAdd` or `stopSignal` is refused at
 * validate time instead of by the engine at create (or, for a capability, silently kept).
 */

/** capabilities(7), without the CAP_ prefix (kernel 5.9: PERFMON, BPF, CHECKPOINT_RESTORE). */
const CAPABILITIES = new Set([
  'AUDIT_CONTROL',
  'AUDIT_READ',
  'AUDIT_WRITE',
  'BLOCK_SUSPEND',
  'BPF',
  'CHECKPOINT_RESTORE',
  'CHOWN',
  'DAC_OVERRIDE',
  'DAC_READ_SEARCH',
  'FOWNER',
  'FSETID',
  'IPC_LOCK',
  'IPC_OWNER',
  'KILL',
  'LEASE',
  'LINUX_IMMUTABLE',
  'MAC_ADMIN',
  'MAC_OVERRIDE',
  'MKNOD',
  'NET_ADMIN',
  'NET_BIND_SERVICE',
  'NET_BROADCAST',
  'NET_RAW',
  'PERFMON',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYSLOG',
  'SYS_ADMIN',
  'SYS_BOOT',
  'SYS_CHROOT',
  'SYS_MODULE',
  'SYS_NICE',
  'SYS_PACCT',
  'SYS_PTRACE',
  'SYS_RAWIO',
  'SYS_RESOURCE',
  'SYS_TIME',
  'SYS_TTY_CONFIG',
  'WAKE_ALARM',
]);

/**
 * `net_admin`, `NET_ADMIN` or `CAP_NET_ADMIN` → `CAP_NET_ADMIN` (the engine's own form);
 * `ALL` stays `ALL`. Undefined for a name that is not a capability.
 */
export function canonicalCapability(name: string): string | undefined {
  const upper = name.toUpperCase();
  if (upper === 'ALL') return 'ALL';
  const bare = upper.startsWith('CAP_') ? upper.slice(4) : upper;
  return CAPABILITIES.has(bare) ? `CAP_${bare}` : undefined;
}

/** signal(7) names without SIG, as the engine accepts them for StopSignal. */
const SIGNALS = new Set([
  'ABRT',
  'ALRM',
  'BUS',
  'CHLD',
  'CONT',
  'FPE',
  'HUP',
  'ILL',
  'INT',
  'IO',
  'IOT',
  'KILL',
  'PIPE',
  'POLL',
  'PROF',
  'PWR',
  'QUIT',
  'RTMAX',
  'RTMIN',
  'SEGV',
  'STKFLT',
  'STOP',
  'SYS',
  'TERM',
  'TRAP',
  'TSTP',
  'TTIN',
  'TTOU',
  'URG',
  'USR1',
  'USR2',
  'VTALRM',
  'WINCH',
  'XCPU',
  'XFSZ',
]);

/** `INT`, `SIGINT` → `SIGINT`; `RTMIN+3` kept; a number 1–64 kept as written. */
export function canonicalSignal(name: string): string | undefined {
  if (/^\d+$/.test(name)) return Number(name) >= 1 && Number(name) <= 64 ? name : undefined;
  const bare = name.startsWith('SIG') ? name.slice(3) : name;
  const base = bare.replace(/\+\d+$/, '');
  if (base !== bare && base !== 'RTMIN' && base !== 'RTMAX') return undefined;
  return SIGNALS.has(base) ? `SIG${bare}` : undefined;
}
