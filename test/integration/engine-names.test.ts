import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { sleeperYaml } from '../support/manifests.js';
import { cleanupProject, docker, uniqueProject } from '../support/docker.js';

/**
 * F134: an owned Network or Volume with `spec.name` is created, labelled and owned by berth
 * under exactly that engine name, on the real engine; a foreign object of that name is a
 * conflict left untouched.
 */

const work = mkdtempSync(join(tmpdir(), 'berth-engine-names-'));
const env = { XDG_STATE_HOME: join(work, 'state') };
afterAll(() => rmSync(work, { recursive: true, force: true }));

function write(dir: string, text: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'app.yaml'), text);
  return dir;
}

const labelsOf = async (what: 'network' | 'volume', name: string) =>
  JSON.parse(await docker(what, 'inspect', '-f', '{{json .Labels}}', name)) as Record<
    string,
    string
  >;
const exists = (what: 'network' | 'volume', name: string) =>
  docker(what, 'inspect', name).then(
    () => true,
    () => false,
  );

describe('spec.name of owned networks and volumes (F134)', () => {
  const project = uniqueProject('ename');
  const netName = `${project}_public`;
  const volName = `${project}.media`;
  const foreign = `${project}-foreign`;
  afterAll(async () => {
    await cleanupProject(project);
    await docker('network', 'rm', foreign).catch(() => undefined);
    await docker('volume', 'rm', '-f', volName).catch(() => undefined);
  });

  const manifest = `apiVersion: berth/v1
kind: Network
metadata: {name: public}
spec: {name: ${netName}}
---
apiVersion: berth/v1
kind: Volume
metadata: {name: media}
spec: {name: ${volName}, retain: false}
---
${sleeperYaml('web', `  networks: [{network: public, aliases: [www]}]\n  mounts: [{volume: media, target: /media}]\n`)}`;

  it('apply creates them under that name with berth labels, attached and mounted; a re-apply is a no-op; delete removes them', async () => {
    const dir = write(join(work, 'named'), manifest);
    const applied = await berth(['apply', '-f', dir, '-p', project], { env });
    expect(applied.code, applied.stderr).toBe(0);
    expect(await labelsOf('network', netName)).toMatchObject({
      'berth.project': project,
      'berth.kind': 'Network',
      'berth.name': 'public',
    });
    expect(await labelsOf('volume', volName)).toMatchObject({
      'berth.project': project,
      'berth.kind': 'Volume',
      'berth.name': 'media',
    });
    expect(await exists('network', `${project}-public`)).toBe(false);
    const web = `${project}-web`;
    expect(
      await docker(
        'inspect',
        '-f',
        '{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}',
        web,
      ),
    ).toBe(netName);
    expect(
      await docker(
        'inspect',
        '-f',
        '{{range .Mounts}}{{.Type}}:{{.Name}}:{{.Destination}} {{end}}',
        web,
      ),
    ).toBe(`volume:${volName}:/media`);
    const again = await berth(['plan', '-f', dir, '-p', project, '--exit-code'], { env });
    expect(again.code, again.stdout).toBe(0);
    const status = await berth(['status', '-p', project, '-o', 'json'], { env, cwd: dir });
    const objects = (
      JSON.parse(status.stdout) as { objects: { key: string; engineName: string | null }[] }
    ).objects;
    expect(
      objects
        .filter((o) => o.key !== 'Container/web')
        .map((o) => `${o.key} ${o.engineName}`)
        .sort(),
    ).toEqual([`Network/public ${netName}`, `Volume/media ${volName}`]);
    // F172: their engine events are theirs, though their names lack the `<project>-` prefix.
    const described = await berth(['describe', 'network/public', '-p', project, '-o', 'json'], {
      env,
      cwd: dir,
    });
    expect(described.code, described.stderr).toBe(0);
    const events = (
      JSON.parse(described.stdout) as { events: { source: string; action: string }[] }
    ).events;
    expect(events.map((e) => `${e.source} ${e.action}`)).toContain('engine create');
    const deleted = await berth(['delete', '-f', dir, '-p', project], { env });
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(await exists('network', netName)).toBe(false);
    expect(await exists('volume', volName)).toBe(false);
  });

  it('a foreign network with that name is a conflict, reported by plan and apply, and left untouched', async () => {
    await docker('network', 'create', foreign);
    const id = await docker('network', 'inspect', '-f', '{{.Id}}', foreign);
    const dir = write(
      join(work, 'foreign'),
      manifest.replace(`name: ${netName}`, `name: ${foreign}`),
    );
    const plan = await berth(['plan', '-f', dir, '-p', project], { env });
    expect(plan.stdout).toMatch(new RegExp(`! Network/public .*${foreign}.*berth does not own`));
    const applied = await berth(['apply', '-f', dir, '-p', project], { env });
    expect(applied.code).toBe(2);
    // F815: refused before any change.
    expect(applied.stderr).toMatch(/berth does not own.*; nothing was changed/);
    expect(await docker('network', 'inspect', '-f', '{{.Id}}', foreign)).toBe(id);
    expect(await labelsOf('network', foreign)).toEqual({});
    // Nothing of the project is made, not even the container that would join it (F815: the
    // one-shot apply refuses while a name conflict blocks an object).
    expect(await docker('ps', '-aq', '--filter', `label=berth.project=${project}`)).toBe('');
  });
});
