import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importCompose } from '../../specs/compose/index.js';
import { loadManifests } from '../../specs/index.js';
import type { DesiredObject } from '../../specs/model.js';
import type { ScenarioResult } from '../lib/results.js';
import { summarise } from '../lib/stats.js';
import { limitBar } from './bars.js';

/**
 * One generated Compose project: `services` services with the fields real files use most
 * (ports, volumes, env lists, depends_on, healthchecks, deploy limits, networks, variables).
 */
export function composeText(i: number, services: number): string {
  const lines = ['services:'];
  for (let s = 0; s < services; s++) {
    lines.push(
      `  svc${s}:`,
      `    image: localhost/berth-busybox:\${TAG_${i}:-1}`,
      `    command: sh -c "echo ${i}-${s}; sleep 3600"`,
      `    restart: unless-stopped`,
      `    ports: ["127.0.0.1:${20000 + ((i * 8 + s) % 40000)}:80"]`,
      `    environment: [MODE=${s % 2 ? 'a' : 'b'}, INDEX=${i}]`,
      `    volumes: [data${s}:/data, ./conf${s}:/conf:ro]`,
      `    networks: [front, back]`,
      `    healthcheck: {test: ["CMD", "true"], interval: 10s, retries: 3}`,
      `    deploy: {resources: {limits: {cpus: "0.5", memory: 64m}}}`,
      ...(s > 0 ? [`    depends_on: {svc${s - 1}: {condition: service_healthy}}`] : []),
    );
  }
  lines.push('networks: {front: {}, back: {internal: true}}', 'volumes:');
  for (let s = 0; s < services; s++) lines.push(`  data${s}: {}`);
  return lines.join('\n') + '\n';
}

/**
 * What one import of `composeText(i, services)` must have produced, read back from the
 * written manifests: the objects by kind and name, and per service the fields that carry
 * its identity (image, env, the dependency on the service before it, its own volume and
 * bind mount). Returns what differs, or undefined.
 */
export function unexpectedImport(
  objects: DesiredObject[],
  i: number,
  services: number,
): string | undefined {
  const names = objects.map((o) => `${o.kind}/${o.name}`).sort();
  const wanted = ['Network/back', 'Network/front'];
  for (let s = 0; s < services; s++)
    wanted.push(`BindMount/conf${s}`, `Container/svc${s}`, `Volume/data${s}`);
  wanted.sort();
  if (names.join(' ') !== wanted.join(' '))
    return `project ${i}: objects ${names.join(' ')}, wanted ${wanted.join(' ')}`;
  for (let s = 0; s < services; s++) {
    const c = objects.find((o) => o.kind === 'Container' && o.name === `svc${s}`);
    const spec = c?.kind === 'Container' ? c.spec : undefined;
    const mounts = JSON.stringify(spec?.mounts ?? []);
    const ok =
      spec !== undefined &&
      // `${TAG_i:-1}` kept by import, resolved by the loader as validate resolves it.
      spec.image.ref === 'localhost/berth-busybox:1' &&
      spec.env.INDEX === String(i) &&
      mounts.includes(`"data${s}"`) &&
      mounts.includes(`"conf${s}"`) &&
      (s === 0
        ? !spec.dependsOn?.length
        : spec.dependsOn?.[0]?.container === `svc${s - 1}` &&
          spec.dependsOn[0].condition === 'healthy');
    if (!ok) return `project ${i}: Container/svc${s} is not what its service declared`;
  }
  return undefined;
}

/** Services in generated project `i`: 2 to 5. */
const servicesOf = (i: number) => 2 + (i % 4);

/**
 * `berth import` of `files` Compose files (issue 13: 500 in under 10 s in total). The timed
 * part is what the verb does — read, convert, write the manifests — in one process; every
 * output is then loaded back as `berth validate` reads it (untimed), and the bar counts only
 * if all are valid, lossless and hold exactly the objects their Compose file declared.
 */
export async function importMany(files: number): Promise<ScenarioResult> {
  const work = mkdtempSync(join(tmpdir(), 'berth-bench-import-'));
  try {
    const inputs = Array.from({ length: files }, (_, i) => {
      const dir = join(work, `p${i}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'compose.yaml'), composeText(i, servicesOf(i)));
      return dir;
    });
    let losses = 0;
    const started = performance.now();
    for (const dir of inputs) {
      const out = join(dir, 'berth');
      const result = importCompose({
        files: ['compose.yaml'],
        cwd: dir,
        outDir: out,
        profiles: [],
      });
      mkdirSync(out, { recursive: true });
      for (const [name, text] of result.manifests) writeFileSync(join(out, name), text);
      losses += result.losses.length;
    }
    const ms = Math.round(performance.now() - started);
    let invalid = 0;
    const wrong: string[] = [];
    for (const [i, dir] of inputs.entries()) {
      const loaded = await loadManifests([join(dir, 'berth')], { cwd: dir });
      if (loaded.problems.length) invalid++;
      const why = unexpectedImport(loaded.set.objects, i, servicesOf(i));
      if (why) wrong.push(why);
    }
    const ok = invalid === 0 && losses === 0 && wrong.length === 0;
    return {
      id: 'import-compose',
      title: `berth import of ${files} Compose files`,
      measure: 'wall time of all imports (ms)',
      unit: 'ms',
      tools: { berth: { ...summarise([ms]), samples: [ms], failures: ok ? 0 : 1, timeouts: 0 } },
      bars: [
        ok
          ? limitBar(`import of ${files} Compose files < 10 s`, ms, 10_000, 'ms')
          : {
              text: `import of ${files} Compose files < 10 s`,
              met: false,
              detail: `${invalid} outputs invalid, ${losses} losses, ${wrong.length} not as declared${wrong[0] ? ` (${wrong[0]})` : ''}`,
            },
      ],
      notes: [
        `${files} files of 2–5 services each; every output passed validation: ${invalid === 0}; ` +
          `every output held exactly its declared objects: ${wrong.length === 0}`,
      ],
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
