import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importCompose } from '../../specs/compose/index.js';
import { loadManifests } from '../../specs/index.js';
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
 * `berth import` of `files` Compose files (issue 13: 500 in under 10 s in total). The timed
 * part is what the verb does — read, convert, write the manifests — in one process; every
 * output is then validated (untimed) and the bar counts only if all are valid and lossless.
 */
export async function importMany(files: number): Promise<ScenarioResult> {
  const work = mkdtempSync(join(tmpdir(), 'berth-bench-import-'));
  try {
    const inputs = Array.from({ length: files }, (_, i) => {
      const dir = join(work, `p${i}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'compose.yaml'), composeText(i, 2 + (i % 4)));
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
    for (const dir of inputs) {
      const loaded = await loadManifests([join(dir, 'berth')], { cwd: dir });
      if (loaded.problems.length) invalid++;
    }
    const ok = invalid === 0 && losses === 0;
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
              detail: `${invalid} outputs invalid, ${losses} losses`,
            },
      ],
      notes: [
        `${files} files of 2–5 services each; every output passed validation: ${invalid === 0}`,
      ],
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
