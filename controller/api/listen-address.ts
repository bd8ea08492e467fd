import { BerthError } from '../errors.js';

export interface ListenAddress {
  host: string;
  port: number;
}

/** Parses `HOST:PORT`, `[IPv6]:PORT` or `:PORT` (loopback). Rejects anything else with E_USAGE. */
export function parseListenAddress(text: string): ListenAddress {
  const match = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(text.trim());
  const port = match ? Number(match[3]) : NaN;
  if (!match || !Number.isInteger(port) || port > 65535) {
    throw new BerthError('E_USAGE', `--listen ${text} is not HOST:PORT (e.g. 127.0.0.1:7337)`);
  }
  return { host: match[1] ?? (match[2] || '127.0.0.1'), port };
}

/** Only the machine itself can reach these addresses. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** `host:port` as a URL authority (IPv6 in brackets). */
export function formatAuthority(address: ListenAddress): string {
  return address.host.includes(':')
    ? `[${address.host}]:${address.port}`
    : `${address.host}:${address.port}`;
}
