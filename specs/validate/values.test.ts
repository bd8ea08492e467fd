import { describe, expect, it } from 'vitest';
import {
  cidrContains,
  parseCIDR,
  parseDuration,
  parseIP,
  parsePortString,
  parseQuantity,
  dockerSize,
  MAX_DELAY_MS,
  parseDelay,
} from './values.js';

describe('parseDuration', () => {
  it.each([
    ['5s', 5000],
    ['1m30s', 90_000],
    ['500ms', 500],
    ['1h', 3_600_000],
    ['1.5s', 1500],
    ['2h3m4s5ms', 7_384_005],
    ['10', 10_000],
    [7, 7000],
    ['0s', 0],
  ] as const)('%s → %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', 's', '5 s', '5x', '1.5.3s', '-5s', 's5', '5s ', '1d'])('refuses %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it('refuses negative and fractional numbers', () => {
    expect(parseDuration(-1)).toBeUndefined();
    expect(parseDuration(1.5)).toBeUndefined();
  });
});

describe('parseQuantity', () => {
  it.each([
    ['256Mi', 256 * 1024 ** 2],
    ['1G', 1e9],
    ['512k', 512_000],
    ['1Ki', 1024],
    ['1.5Gi', 1.5 * 1024 ** 3],
    ['100', 100],
    [4096, 4096],
  ] as const)('%s → %d bytes', (text, bytes) => {
    expect(parseQuantity(text)).toBe(bytes);
  });

  it.each(['256MB', '1 G', 'lots', '', '0', '-1', '1e3', 'Mi'])('refuses %j', (text) => {
    expect(parseQuantity(text)).toBeUndefined();
  });
});

describe('dockerSize (go-units RAMInBytes, powers of 1024)', () => {
  it.each([
    ['512m', '512Mi'],
    ['2g', '2Gi'],
    ['1.5GB', '1.5Gi'],
    ['64Mi', '64Mi'],
    ['100k', '100Ki'],
    ['1 tb', '1Ti'],
    ['2G', '2Gi'],
    ['2048', 2048],
    ['100b', 100],
    ['1p', 1024 ** 5],
  ] as const)('%s → %s', (text, berth) => {
    expect(dockerSize(text)).toBe(berth);
  });

  it.each(['', 'lots', '0', '0m', '-1m', '1e3', 'm', '2x', '1.5.5g'])('refuses %j', (text) => {
    expect(dockerSize(text)).toBeUndefined();
  });
});

describe('parsePortString', () => {
  it.each([
    ['80', { containerPort: 80, hostIP: '', protocol: 'tcp' }],
    ['53/udp', { containerPort: 53, hostIP: '', protocol: 'udp' }],
    ['8080:80', { containerPort: 80, hostPort: 8080, hostIP: '', protocol: 'tcp' }],
    [
      '127.0.0.1:8080:80/tcp',
      { containerPort: 80, hostPort: 8080, hostIP: '127.0.0.1', protocol: 'tcp' },
    ],
    ['[::1]:9000:90/sctp', { containerPort: 90, hostPort: 9000, hostIP: '::1', protocol: 'sctp' }],
    // A bare IPv6 address, as nat.ParsePortSpec reads it (Mailu's `$BIND_ADDRESS6:80:80`).
    ['::1:9000:90/udp', { containerPort: 90, hostPort: 9000, hostIP: '::1', protocol: 'udp' }],
    ['fd00::2:443:443', { containerPort: 443, hostPort: 443, hostIP: 'fd00::2', protocol: 'tcp' }],
  ] as const)('%s', (text, parsed) => {
    expect(parsePortString(text)).toEqual(parsed);
  });

  it.each([
    'http:80',
    '70000:80',
    '80:0',
    '8080:80/icmp',
    'localhost:80:80',
    '1:2:3:4',
    '::80:80',
    '',
    '80/tcp/udp',
  ])('refuses %j with a message', (text) => {
    expect(typeof parsePortString(text)).toBe('string');
  });
});

describe('IP and CIDR', () => {
  it('parses v4 and v6 addresses', () => {
    expect(parseIP('10.0.0.1')).toEqual({ bits: 32, value: 0x0a000001n });
    expect(parseIP('::1')).toEqual({ bits: 128, value: 1n });
    expect(parseIP('fd00::')?.value).toBe(0xfd00n << 112n);
    for (const bad of [
      '256.0.0.1',
      '1.2.3',
      '01.2.3.4',
      'fd00::1::2',
      ':::',
      'localhost',
      '1:2:3:4:5:6:7:8:9',
    ]) {
      expect(parseIP(bad), bad).toBeUndefined();
    }
  });

  it('parses subnets and refuses host bits and bad prefixes', () => {
    expect(parseCIDR('172.30.0.0/24')).toMatchObject({ prefix: 24 });
    expect(parseCIDR('fd00::/64')).toMatchObject({ prefix: 64 });
    expect(parseCIDR('172.30.0.1/24')).toMatch(/host bits/);
    expect(parseCIDR('172.30.0.0/33')).toMatch(/prefix/);
    expect(parseCIDR('172.30.0.0')).toMatch(/CIDR/);
  });

  it('tells whether a gateway is inside a subnet', () => {
    const subnet = parseCIDR('172.30.0.0/24');
    if (typeof subnet === 'string') throw new Error(subnet);
    expect(cidrContains(subnet, parseIP('172.30.0.1')!)).toBe(true);
    expect(cidrContains(subnet, parseIP('172.31.0.1')!)).toBe(false);
    expect(cidrContains(subnet, parseIP('::1')!)).toBe(false);
  });
});

describe('parseDelay (F131)', () => {
  it('caps a wait longer than a timer can hold, which would otherwise fire after 1 ms', () => {
    expect(parseDelay('100000h')).toBe(MAX_DELAY_MS);
    expect(parseDelay('600h')).toBe(MAX_DELAY_MS);
    expect(parseDelay('24h')).toBe(86_400_000);
    expect(parseDelay('soon')).toBeUndefined();
  });
});
