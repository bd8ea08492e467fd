import type { ContainerObject, DesiredObject, Kind, PortBinding } from './model.js';
import type { Problem, ProblemCode } from './problems.js';
import type { ValuePath } from './parse/locate.js';
import { isLiteralImageRef, lookupIn } from './link.js';
import { blankNoteOf, positionOf } from './positions.js';
import { NEXT_SUFFIX, UPDATE_SUFFIXES } from './update-names.js';
import { objectLabel } from './validate/schema-errors.js';
import { imageRefProblem } from './validate/image-ref.js';
import { closestMatch } from './validate/suggest.js';
import { namespaceReferences, namespaceTargets, staticAddresses } from './check-container-links.js';

export interface CheckSetOptions {
  /**
   * Objects declared by documents that failed validation: references to them are not
   * reported as dangling (their own problems already are).
   */
  alsoDeclared?: { kind: Kind; name: string }[];
  /**
   * Host ports are per node (`--backend swarm`: published in host mode, one task per node
   * per port): the replicas of one container may share a host port.
   */
  portsPerNode?: boolean;
}

/**
 * The checks that need the whole set: duplicate names (and names an update takes), dangling references, dependsOn
 * cycles and host ports published twice. Pure; problems point at the offending value.
 */
export function checkSet(objects: DesiredObject[], options: CheckSetOptions = {}): Problem[] {
  return [
    ...duplicateNames(objects),
    ...updateNameClashes(objects),
    ...duplicateEngineNames(objects),
    ...danglingReferences(objects, options.alsoDeclared ?? []),
    ...dependencyCycles(objects),
    ...duplicatePorts(objects, options.portsPerNode ?? false),
    ...staticAddresses(objects),
  ];
}

function problemAt(
  object: DesiredObject,
  path: ValuePath,
  code: ProblemCode,
  text: string,
): Problem {
  return {
    ...positionOf(object, path),
    code,
    message: `${objectLabel(object.kind, object.name)}: ${text}${blankNoteOf(object, path)}`,
  };
}

function where(object: DesiredObject): string {
  const p = positionOf(object, ['metadata', 'name']);
  return `${p.file}:${p.line}:${p.column}`;
}

/**
 * Two objects of one kind with one name, said of the names as declared (F800): a replicated
 * container counts once, by its declared name (its instance 1 stands for it, with its
 * positions), so a second `web` beside `web` with `replicas: 2` is one problem about "web".
 * Then engine names: a Container `web-2` beside `web` with `replicas: 2` is caught too.
 */
function duplicateNames(objects: DesiredObject[]): Problem[] {
  const declared = new Map<string, DesiredObject>();
  const named = new Map<string, DesiredObject>();
  const problems: Problem[] = [];
  const twice = (object: DesiredObject, name: string, earlier: DesiredObject): void => {
    const text = `is declared twice; the first is at ${where(earlier)}`;
    problems.push({
      ...positionOf(object, ['metadata', 'name']),
      code: 'E_DUPLICATE_NAME',
      message: `${objectLabel(object.kind, name)}: ${text}${blankNoteOf(object, ['metadata', 'name'])}`,
    });
  };
  for (const object of objects) {
    const replica = object.kind === 'Container' ? object.replica : undefined;
    const declaredName = replica?.of ?? object.name;
    if (!replica || replica.index === 1) {
      const key = `${object.kind}/${declaredName}`;
      const earlier = declared.get(key);
      if (earlier) twice(object, declaredName, earlier);
      else declared.set(key, object);
    }
    const key = `${object.kind}/${object.name}`;
    const earlier = named.get(key);
    if (!earlier) named.set(key, object);
    else if (declaredNameOf(earlier) !== declaredName) twice(object, object.name, earlier);
  }
  return problems;
}

function declaredNameOf(object: DesiredObject): string {
  return (object.kind === 'Container' ? object.replica?.of : undefined) ?? object.name;
}

/**
 * A Container named `<other>-next` or `<other>-prev` beside a Container `<other>` (a replica
 * counts by its own name): its engine name is the one an update of the other takes, so that
 * update could never run (F155).
 */
function updateNameClashes(objects: DesiredObject[]): Problem[] {
  const containers = new Map<string, DesiredObject>();
  for (const o of objects)
    if (o.kind === 'Container' && !containers.has(o.name)) containers.set(o.name, o);
  const problems: Problem[] = [];
  for (const [name, object] of containers) {
    for (const suffix of UPDATE_SUFFIXES) {
      const other = name.endsWith(suffix)
        ? containers.get(name.slice(0, -suffix.length))
        : undefined;
      if (!other) continue;
      const text =
        `its engine name is the one an update of ${objectLabel('Container', other.name)} ` +
        `(${where(other)}) gives its ${suffix === NEXT_SUFFIX ? 'new' : 'old'} container; rename one`;
      problems.push(problemAt(object, ['metadata', 'name'], 'E_DUPLICATE_NAME', text));
    }
  }
  return problems;
}

/**
 * Two Networks (or two Volumes) of one engine that claim one engine name with `spec.name`
 * (F134): an owned one beside another owned or an external one of that name. Two externals
 * may name one engine object (berth only uses it).
 */
function duplicateEngineNames(objects: DesiredObject[]): Problem[] {
  const first = new Map<string, { object: DesiredObject; owned: boolean }>();
  const problems: Problem[] = [];
  for (const object of objects) {
    if (object.kind !== 'Network' && object.kind !== 'Volume') continue;
    const { name, external } = object.spec;
    const engineName = external?.name ?? name;
    if (engineName === undefined) continue;
    const key = `${object.context ?? ''}|${object.kind}|${engineName}`;
    const earlier = first.get(key);
    const owned = !external;
    if (!earlier) first.set(key, { object, owned });
    else if (owned || earlier.owned) {
      const text = `spec.name ${engineName} is claimed by ${objectLabel(earlier.object.kind, earlier.object.name)} too, at ${where(earlier.object)}; one engine name is one engine object`;
      problems.push(problemAt(object, ['spec', 'name'], 'E_ENGINE_NAME', text));
    }
  }
  return problems;
}

/**
 * `spec.image: redis` names an Image object (a reference needs a tag, digest or registry to be
 * read literally): the problem says so, with the declared Image it most likely meant (F664: a
 * Compose user writes `image: redis` for `redis:latest`).
 */
function undeclaredImage(name: string, declared: readonly string[]): string {
  const near = closestMatch(name, declared);
  const meant = near ? `; did you mean Image "${near}"?` : '';
  return `spec.image names Image "${name}", which is not declared${meant} (an image from a registry is written with its tag: ${name}:latest)`;
}

function danglingReferences(
  objects: DesiredObject[],
  alsoDeclared: { kind: Kind; name: string }[],
): Problem[] {
  const lookup = lookupIn(objects);
  const declared = new Set(alsoDeclared.map((d) => `${d.kind}/${d.name}`));
  const exists = (kind: Kind, name: string): boolean =>
    lookup(kind, name) !== undefined || declared.has(`${kind}/${name}`);
  const problems: Problem[] = namespaceReferences(objects, (name) => exists('Container', name));
  // Once per distinct reference: a set's containers mostly share a few images (issue 12).
  const refProblems = new Map<string, string | undefined>();
  const refProblem = (image: string): string | undefined => {
    if (!refProblems.has(image)) refProblems.set(image, imageRefProblem(image));
    return refProblems.get(image);
  };
  const imageNames = objects.filter((o) => o.kind === 'Image').map((o) => o.name);
  for (const c of objects) {
    if (c.kind !== 'Container') continue;
    // container:NAME adds an implicit dependency, reported above at the field that names it.
    const implicit = new Set(namespaceTargets(c.spec));
    const missing = (path: ValuePath, kind: Kind, name: string): void => {
      if (!exists(kind, name))
        problems.push(
          problemAt(
            c,
            path,
            'E_REFERENCE',
            `${formatRef(path)} names ${kind} "${name}", which is not declared`,
          ),
        );
    };
    const image = c.spec.image.object ?? c.spec.image.ref;
    if (!isLiteralImageRef(image)) {
      if (!exists('Image', image))
        problems.push(
          problemAt(c, ['spec', 'image'], 'E_REFERENCE', undeclaredImage(image, imageNames)),
        );
    } else {
      // Refused here, not by the engine after the project's network was made (F195).
      const why = refProblem(image);
      if (why)
        problems.push(
          problemAt(
            c,
            ['spec', 'image'],
            'E_IMAGE_REF',
            `spec.image "${image}" is not an image reference: ${why}`,
          ),
        );
    }
    c.spec.networks.forEach((n, i) =>
      missing(['spec', 'networks', i, 'network'], 'Network', n.network),
    );
    c.spec.mounts.forEach((m, i) => {
      if (m.type === 'bind') missing(['spec', 'mounts', i, 'bindMount'], 'BindMount', m.bindMount);
      if (m.type === 'volume') missing(['spec', 'mounts', i, 'volume'], 'Volume', m.volume);
      if (m.type === 'secret') missing(['spec', 'mounts', i, 'secret'], 'Secret', m.name);
      if (m.type === 'config') missing(['spec', 'mounts', i, 'config'], 'Config', m.name);
    });
    c.spec.dependsOn.forEach((d, i) => {
      if (!implicit.has(d.container))
        missing(['spec', 'dependsOn', i, 'container'], 'Container', d.container);
    });
  }
  return problems;
}

function formatRef(path: ValuePath): string {
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

/** Each cycle reported once, at the dependsOn entry that closes it, as `a -> b -> a`. */
function dependencyCycles(objects: DesiredObject[]): Problem[] {
  const containers = new Map<string, ContainerObject>();
  for (const o of objects)
    if (o.kind === 'Container' && !containers.has(o.name)) containers.set(o.name, o);
  const state = new Map<string, 'visiting' | 'done'>();
  const problems: Problem[] = [];
  const stack: string[] = [];
  const visit = (name: string): void => {
    state.set(name, 'visiting');
    stack.push(name);
    const container = containers.get(name);
    container?.spec.dependsOn.forEach((dep, i) => {
      if (!containers.has(dep.container)) return;
      // container:<itself> is reported where it is written (check-container-links); with
      // replicas its implicit dependency names every instance of itself.
      const self = container.replica?.of ?? name;
      const ofSelf = dep.container === name || containers.get(dep.container)?.replica?.of === self;
      if (ofSelf && namespaceTargets(container.spec).includes(self)) return;
      const seen = state.get(dep.container);
      if (seen === 'visiting') {
        const cycle = [...stack.slice(stack.indexOf(dep.container)), dep.container].join(' -> ');
        problems.push(
          problemAt(
            container,
            ['spec', 'dependsOn', i, 'container'],
            'E_CYCLE',
            `dependsOn forms a cycle: ${cycle}`,
          ),
        );
      } else if (seen === undefined) visit(dep.container);
    });
    stack.pop();
    state.set(name, 'done');
  };
  for (const name of [...containers.keys()].sort()) if (!state.has(name)) visit(name);
  return problems;
}

const WILDCARDS = new Set(['', '0.0.0.0', '::']);

/**
 * Two bindings of the same fixed host port. A host range never clashes: the engine publishes
 * it on whichever port of the range is free, as it does for Compose.
 */
function portsClash(a: PortBinding, b: PortBinding): boolean {
  if (a.hostPortEnd !== undefined || b.hostPortEnd !== undefined) return false;
  if (a.hostPort === undefined || a.hostPort !== b.hostPort || a.protocol !== b.protocol)
    return false;
  return a.hostIP === b.hostIP || WILDCARDS.has(a.hostIP) || WILDCARDS.has(b.hostIP);
}

/** Two replica instances of one declared container. */
function sameDeclared(a: ContainerObject, b: ContainerObject): boolean {
  return a !== b && a.replica !== undefined && a.replica.of === b.replica?.of;
}

/** The same host port (and protocol) on overlapping addresses, across or within containers. */
function duplicatePorts(objects: DesiredObject[], perNode: boolean): Problem[] {
  // Only bindings of one fixed host port and protocol can clash (portsClash), so each is
  // compared with those alone, in the order published: one list per port, not every binding
  // of the set (issue 12: 2,000 published ports made this the slowest check of a validate).
  const published = new Map<string, { owner: ContainerObject; binding: PortBinding }[]>();
  const problems: Problem[] = [];
  for (const c of objects) {
    if (c.kind !== 'Container') continue;
    c.spec.ports.forEach((binding, i) => {
      if (binding.hostPort === undefined || binding.hostPortEnd !== undefined) return;
      const key = `${binding.hostPort}/${binding.protocol}`;
      const samePort = published.get(key) ?? [];
      published.set(key, samePort);
      const clash = samePort.find(
        (p) => portsClash(p.binding, binding) && !(perNode && sameDeclared(p.owner, c)),
      );
      if (clash) {
        const owner =
          clash.owner === c ? 'this container' : objectLabel('Container', clash.owner.name);
        const text = `host port ${binding.hostPort}/${binding.protocol} is already published by ${owner}`;
        problems.push(problemAt(c, ['spec', 'ports', i], 'E_DUPLICATE_PORT', text));
      }
      samePort.push({ owner: c, binding });
    });
  }
  return problems;
}
