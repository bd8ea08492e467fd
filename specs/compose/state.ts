import { basename, isAbsolute, relative, sep } from 'node:path';
import type { ComposeProject } from './load.js';
import { whereKey, whereNode } from './located.js';
import type { Where } from './located.js';
import { writtenRelative } from './normalise.js';
import { dnsLabel } from './values.js';

/** A Compose field berth cannot carry: `file:line:col: PATH: not supported: WHY`. */
export interface Loss {
  where: Where;
  path: string;
  why: string;
}

/**
 * Something import says on stderr (`file:line:col: warning: …`) and writes anyway: it is
 * carried, but not the way Compose does it (an unset variable, a container_name).
 */
export interface ImportWarning {
  where: Where;
  message: string;
}

/** One berth object import writes, with where it came from. */
export interface ImportedObject {
  kind: 'Container' | 'Image' | 'Network' | 'Volume' | 'BindMount' | 'Secret' | 'Config';
  name: string;
  labels?: Record<string, string>;
  spec: Record<string, unknown>;
  /** The Compose path it came from (`services.web`, `volumes.data`). */
  source: string;
  from?: Where;
  /** Comment lines written above the object. */
  notes: string[];
}

/** A Compose `links: [SERVICE:ALIAS]` entry whose alias differs from the service name. */
export interface LinkAlias {
  /** The Compose service that declares the link, and the one it links to. */
  linker: string;
  target: string;
  alias: string;
  /** The `links` list and the entry's index, for positions. */
  list: unknown[];
  index: number;
}

/** Everything one import run builds up while converting. */
export interface ImportState {
  project: ComposeProject;
  /** The project name images get when built (`<project>-<service>`). */
  projectName: string;
  /** Absolute folder the manifests are for: relative paths are written relative to it. */
  outDir: string;
  /** Folder messages name files relative to. */
  cwd: string;
  losses: Loss[];
  warnings: ImportWarning[];
  objects: Map<string, ImportedObject>;
  /** Compose name → metadata.name, per kind (`service`, `volume`, `network`, `secret`, `config`). */
  names: Map<string, string>;
  /** Files to copy beside the manifests: absolute source → path relative to outDir. */
  copies: Map<string, string>;
  /** `links` aliases, carried once every service is converted (link-aliases.ts). */
  linkAliases: LinkAlias[];
  /** Refs of the Image objects a service builds (as written and as carried) → that object. */
  builtRefs: Map<string, { name: string; service: string }>;
  /** False when import only prints: env files keep their own paths (nothing is copied). */
  copyFiles: boolean;
  /** A variable's value at import (environment, then the project's `.env`), for paths only. */
  variables: (name: string) => string | undefined;
  /** Volumes no Compose file declares, imported as project volumes → first reference (fragments.ts). */
  undeclaredVolumes: ReadonlyMap<string, Where>;
}

/**
 * Records a loss at `key` of `tree` (falls back to the tree's own position), once: a
 * secret used by a service and declared is converted twice (F192g: named and counted twice).
 */
export function lose(
  state: ImportState,
  tree: unknown,
  key: string | number,
  path: string,
  why: string,
): void {
  const where = whereIn(state, tree, key);
  const same = (l: Loss) =>
    l.path === path &&
    l.why === why &&
    l.where.file === where.file &&
    l.where.line === where.line &&
    l.where.column === where.column;
  if (!state.losses.some(same)) state.losses.push({ where, path, why });
}

/** Where `key` of `tree` was written (else the tree itself, else the first Compose file). */
export function whereIn(state: ImportState, tree: unknown, key: string | number): Where {
  return (
    whereKey(tree, key) ??
    whereNode(tree) ?? {
      file: relative(state.cwd, state.project.files[0] ?? '') || '-',
      line: 1,
      column: 1,
    }
  );
}

/** Adds an object unless one of that kind and name exists; returns the stored one. */
export function addObject(state: ImportState, object: ImportedObject): ImportedObject {
  const key = `${object.kind}/${object.name}`;
  const existing = state.objects.get(key);
  if (existing) return existing;
  state.objects.set(key, object);
  return object;
}

/**
 * The metadata.name for a Compose name of one kind: a DNS label, unique within the kind
 * (a clash after lower-casing gets `-2`, `-3`…). The same Compose name always maps the same.
 */
export function berthName(
  state: ImportState,
  kind: string,
  composeName: string,
  preferred = composeName,
): string {
  const key = `${kind}:${composeName}`;
  const known = state.names.get(key);
  if (known) return known;
  const taken = new Set(
    [...state.names.entries()].filter(([k]) => k.startsWith(`${kind}:`)).map(([, v]) => v),
  );
  const base = dnsLabel(preferred);
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base.slice(0, 60)}-${i}`;
  state.names.set(key, name);
  return name;
}

/**
 * Gives every service its metadata.name before any is converted, those whose Compose name
 * already is a DNS label (case aside) first (F182): `web-api` keeps `web-api` and `web_api`
 * becomes `web-api-2` (answering to `web_api` by alias, finishNetworks), so no container
 * answers to another service's Compose name. Docker's DNS resolves `web_api` as written,
 * and Compose keeps both names distinct; first come, first named let `web-api` resolve to
 * both services.
 */
export function nameServices(state: ImportState, services: readonly string[]): void {
  const exact = (s: string) => dnsLabel(s) === s.toLowerCase();
  for (const service of services.filter(exact)) berthName(state, 'service', service);
  for (const service of services.filter((s) => !exact(s))) berthName(state, 'service', service);
}

/**
 * A host path as the manifest should write it: relative to the output folder when the
 * Compose file wrote it relative (kept absolute when it was absolute or holds a variable).
 */
export function manifestPath(state: ImportState, absolute: string): string {
  if (!isAbsolute(absolute) || !writtenRelative.has(absolute)) return absolute;
  const rel = relative(state.outDir, absolute) || '.';
  return rel.startsWith('..') || rel === '.' ? rel : `./${rel}`;
}

/**
 * Arranges for `file` to be copied beside the manifests; returns the path manifests use.
 * Copies get distinct names (F176: `backend/.env` and `a/.env` were both `.env`, and the
 * project `.env` import writes overwrote them): the file's folder under the project folder
 * joins its name (`backend/.env` → `backend.env`, `conf/app.env` → `conf-app.env`), the
 * project's own `.env` as an env file is `compose.env` (the output's `.env` is import's, with
 * the project name added), and a name already taken gets `2-`, `3-`… When nothing is
 * written (`state.copyFiles` false: import prints), the file's own path is used.
 */
export function copyBeside(state: ImportState, file: string): string {
  if (!state.copyFiles) return manifestPath(state, file);
  const known = state.copies.get(file);
  if (known) return `./${known}`;
  const used = new Set([...state.copies.values(), '.env']);
  const name = copyName(state.project.dir, file);
  let unique = name;
  for (let i = 2; used.has(unique); i++) unique = `${i}-${name}`;
  state.copies.set(file, unique);
  return `./${unique}`;
}

function copyName(projectDir: string, file: string): string {
  const rel = relative(projectDir, file);
  const inside = rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
  const folders = inside ? rel.split(sep).slice(0, -1) : [];
  const base = basename(file);
  if (base === '.env') return folders.length ? `${folders.join('-')}.env` : 'compose.env';
  return [...folders, base].join('-');
}
