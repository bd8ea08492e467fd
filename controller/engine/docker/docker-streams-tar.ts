/**
 * A small ustar writer and reader for the engine's archive API (`GET`/`PUT
 * /containers/{id}/archive`). Only what copying files needs: regular files, folders,
 * symbolic and hard links, with their permission bits and times. Long names use ustar's
 * prefix field, then a PAX `path` record; the reader also takes GNU long names, which the
 * engine may send.
 */

export type TarEntryType = 'file' | 'directory' | 'symlink' | 'hardlink' | 'other';

export interface TarEntry {
  name: string;
  type: TarEntryType;
  /** Permission bits (including setuid/setgid/sticky). */
  mode: number;
  size: number;
  /** Unix seconds. */
  mtime: number;
  linkName: string;
  uid: number;
  gid: number;
}

const BLOCK = 512;
const TYPE_FLAGS: Record<TarEntryType, string> = {
  file: '0',
  hardlink: '1',
  symlink: '2',
  directory: '5',
  other: '0',
};

/** The header block(s) of one entry: a PAX record first when a name does not fit ustar. */
export function entryHeader(entry: TarEntry): Buffer {
  const name =
    entry.type === 'directory' && !entry.name.endsWith('/') ? `${entry.name}/` : entry.name;
  const split = splitName(name);
  const longLink = Buffer.byteLength(entry.linkName) > 100;
  if (split && !longLink)
    return ustarBlock(entry, split.prefix, split.name, entry.linkName, TYPE_FLAGS[entry.type]);
  const records = [
    ...(split ? [] : [paxRecord('path', name)]),
    ...(longLink ? [paxRecord('linkpath', entry.linkName)] : []),
  ].join('');
  const body = Buffer.from(records, 'utf8');
  const pax = ustarBlock(
    { ...entry, size: body.length, mode: 0o644 },
    '',
    'PaxHeaders/entry',
    '',
    'x',
  );
  const fallback = split ?? { prefix: '', name: name.slice(-100) };
  const link = longLink ? '' : entry.linkName;
  return Buffer.concat([
    pax,
    body,
    padding(body.length),
    ustarBlock(entry, fallback.prefix, fallback.name, link, TYPE_FLAGS[entry.type]),
  ]);
}

/** The zero bytes that round `size` up to a whole block. */
export function padding(size: number): Buffer {
  const rest = size % BLOCK;
  return Buffer.alloc(rest === 0 ? 0 : BLOCK - rest);
}

/** Two zero blocks end an archive. */
export function endOfArchive(): Buffer {
  return Buffer.alloc(BLOCK * 2);
}

function splitName(name: string): { prefix: string; name: string } | undefined {
  if (Buffer.byteLength(name) <= 100) return { prefix: '', name };
  for (let i = name.indexOf('/'); i > 0; i = name.indexOf('/', i + 1)) {
    const prefix = name.slice(0, i);
    const rest = name.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(rest) <= 100 && rest) {
      return { prefix, name: rest };
    }
  }
  return undefined;
}

/** `"%d key=value\n"`, where the length counts itself. */
function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let length = Buffer.byteLength(body);
  length += String(length).length;
  if (String(length).length !== String(length - String(length).length).length) length += 1;
  return `${length}${body}`;
}

function ustarBlock(
  entry: TarEntry,
  prefix: string,
  name: string,
  link: string,
  flag: string,
): Buffer {
  const block = Buffer.alloc(BLOCK);
  block.write(name, 0, 100, 'utf8');
  writeOctal(block, 100, 8, entry.mode & 0o7777);
  writeOctal(block, 108, 8, entry.uid);
  writeOctal(block, 116, 8, entry.gid);
  writeOctal(block, 124, 12, entry.type === 'file' || flag === 'x' ? entry.size : 0);
  writeOctal(block, 136, 12, Math.floor(entry.mtime));
  block.write(flag, 156, 1, 'ascii');
  block.write(link, 157, 100, 'utf8');
  block.write('ustar\u000000', 257, 8, 'ascii');
  block.write(prefix, 345, 155, 'utf8');
  // The checksum is computed with its own field read as spaces.
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(sum.toString(8).padStart(6, '0') + '\u0000 ', 148, 8, 'ascii');
  return block;
}

function writeOctal(block: Buffer, offset: number, length: number, value: number): void {
  block.write(value.toString(8).padStart(length - 1, '0') + '\u0000', offset, length, 'ascii');
}

/** Reads a numeric field: octal text, or GNU base-256 when the high bit is set. */
function readNumber(block: Buffer, offset: number, length: number): number {
  if ((block[offset]! & 0x80) !== 0) {
    let value = block[offset]! & 0x7f;
    for (let i = 1; i < length; i++) value = value * 256 + block[offset + i]!;
    return value;
  }
  const text = readString(block, offset, length).trim();
  return text ? parseInt(text, 8) : 0;
}

function readString(block: Buffer, offset: number, length: number): string {
  const field = block.subarray(offset, offset + length);
  const nul = field.indexOf(0);
  return field.subarray(0, nul < 0 ? length : nul).toString('utf8');
}

/** One parsed header; undefined for a zero block (end of archive). */
export function parseHeader(block: Buffer): (TarEntry & { flag: string }) | undefined {
  if (block.every((b) => b === 0)) return undefined;
  const flag = String.fromCharCode(block[156]!) || '0';
  const magic = readString(block, 257, 6);
  const prefix = magic === 'ustar' ? readString(block, 345, 155) : '';
  const name = readString(block, 0, 100);
  return {
    flag,
    name: prefix ? `${prefix}/${name}` : name,
    type: typeOf(flag),
    mode: readNumber(block, 100, 8) & 0o7777,
    uid: readNumber(block, 108, 8),
    gid: readNumber(block, 116, 8),
    size: readNumber(block, 124, 12),
    mtime: readNumber(block, 136, 12),
    linkName: readString(block, 157, 100),
  };
}

function typeOf(flag: string): TarEntryType {
  if (flag === '0' || flag === '\u0000' || flag === '7') return 'file';
  if (flag === '5') return 'directory';
  if (flag === '2') return 'symlink';
  if (flag === '1') return 'hardlink';
  return 'other';
}

/** `path` and `linkpath` from a PAX extended header body. */
export function parsePax(body: Buffer): { path?: string; linkpath?: string; size?: number } {
  const out: { path?: string; linkpath?: string; size?: number } = {};
  let offset = 0;
  while (offset < body.length) {
    const space = body.indexOf(0x20, offset);
    if (space < 0) break;
    const length = parseInt(body.subarray(offset, space).toString('ascii'), 10);
    if (!(length > 0)) break;
    const record = body.subarray(space + 1, offset + length - 1).toString('utf8');
    const eq = record.indexOf('=');
    const key = record.slice(0, eq);
    const value = record.slice(eq + 1);
    if (key === 'path') out.path = value;
    if (key === 'linkpath') out.linkpath = value;
    if (key === 'size') out.size = Number(value);
    offset += length;
  }
  return out;
}
