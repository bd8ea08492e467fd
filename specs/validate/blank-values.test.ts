import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadManifests } from '../index.js';
import type { ContainerObject, ImageObject, VolumeObject } from '../model.js';
import { formatProblem } from '../problems.js';

const dir = mkdtempSync(join(tmpdir(), 'berth-blank-values-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const container = (spec: string, name = 'web') =>
  `apiVersion: berth/v1\nkind: Container\nmetadata: {name: ${name}}\nspec:\n  image: busybox:1\n${spec}`;

/** Loads `text` from a file beside a `.env` holding `dotEnv`; the process environment is `env`. */
async function load(text: string, dotEnv = '', env: NodeJS.ProcessEnv = {}) {
  const sub = mkdtempSync(join(dir, 'case-'));
  writeFileSync(join(sub, '.env'), dotEnv);
  writeFileSync(join(sub, 'app.yaml'), text);
  writeFileSync(join(sub, 'Dockerfile'), 'FROM scratch\n');
  const loaded = await loadManifests([sub], { env });
  return { ...loaded, messages: loaded.problems.map((p) => formatProblem(p).replaceAll(sub, '.')) };
}

// An anchor sends the file down the full parser (parse/fast.ts); both paths must agree.
const fullPath = (text: string) => text.replace('spec:\n', 'spec: &s\n');

describe('blank interpolated values Compose treats as not given', () => {
  for (const [path, variant] of [
    ['fast', (t: string) => t],
    ['full', fullPath],
  ] as const) {
    it(`drops optional fields and list items that interpolation left blank (${path} parser)`, async () => {
      const text = variant(
        container(
          '  hostname: ${H}\n  domainname: ${D:-}\n  platform: $P\n  stopSignal: ${S:-}\n' +
            '  dns: ["${DNS}", 192.0.2.53, "${DNS2:-}"]\n  dnsSearch: ["${SEARCH:-}"]\n' +
            '  networks:\n    - {network: net, ipv4Address: "${IP:-}", ipv6Address: "${IP6:-}", macAddress: "${MAC:-}"}\n',
        ) +
          '---\napiVersion: berth/v1\nkind: Network\nmetadata: {name: net}\n' +
          '---\napiVersion: berth/v1\nkind: Image\nmetadata: {name: app}\nspec:\n  ref: local/app:1\n' +
          '  build: {context: ., dockerfile: "${DOCKERFILE:-}", target: "${TARGET:-}"}\n',
      );
      expect(text.includes('&s')).toBe(path === 'full');
      const { problems, set } = await load(text, 'H=\nDNS=\nP=\n');
      expect(problems).toEqual([]);
      const web = set.objects.find((o) => o.name === 'web') as ContainerObject;
      expect(web.spec.hostname).toBeUndefined();
      expect(web.spec.domainname).toBeUndefined();
      expect(web.spec.platform).toBeUndefined();
      expect(web.spec.stopSignal).toBeUndefined();
      expect(web.spec.dns).toEqual(['192.0.2.53']);
      expect(web.spec.dnsSearch ?? []).toEqual([]);
      expect(web.spec.networks).toEqual([{ network: 'net', aliases: [] }]);
      const app = set.objects.find((o) => o.name === 'app') as ImageObject;
      expect(app.spec.build?.dockerfile).toBe('Dockerfile');
      expect(app.spec.build?.target).toBeUndefined();
    });
  }

  it('keeps a blank value written by hand a schema error', async () => {
    const { messages } = await load(container('  hostname: ""\n  dns: [""]\n'));
    expect(messages).toEqual([
      './app.yaml:6:13: Container "web": spec.hostname is empty [E_SCHEMA]',
      './app.yaml:7:9: Container "web": spec.dns[0] is empty [E_SCHEMA]',
    ]);
  });
});

describe('a local volume whose mount options interpolation left blank', () => {
  const volume = (name: string, spec: string) =>
    `---\napiVersion: berth/v1\nkind: Volume\nmetadata: {name: ${name}}\nspec:\n${spec}`;

  it('is a plain volume: the blank options are not given, as the local driver reads them', async () => {
    const text =
      volume('sites', '  options: {type: "${T}", o: "${O:-}", device: "${D}"}\n') +
      volume('plugin', '  driver: rclone\n  options: {type: "${T}"}\n');
    const { problems, set } = await load(text.slice(4), 'T=\nD=\n');
    expect(problems).toEqual([]);
    const options = (name: string) =>
      (set.objects.find((o) => o.name === name) as VolumeObject).spec.options;
    expect(options('sites')).toEqual({});
    expect(options('plugin')).toEqual({ type: '' });
  });

  it('is still judged by what is left: a blank type with a host disk as device is refused', async () => {
    const { messages } = await load(
      volume('disk', '  options: {type: "${T}", device: /dev/vda}\n').slice(4),
      'T=\n',
    );
    expect(messages).toEqual([
      './app.yaml:5:35: Volume "disk": spec.options.device /dev/vda lies beneath /dev, which may not be mounted (forbidden by policy) [E_POLICY]',
    ]);
  });
});

describe('blank interpolated values Compose refuses', () => {
  it('names the variables that were blank and where they were set, at file:line:col', async () => {
    const text =
      'apiVersion: berth/v1\nkind: BindMount\nmetadata: {name: media}\nspec:\n  hostPath: ${MEDIA_PATH}\n' +
      '---\napiVersion: berth/v1\nkind: BindMount\nmetadata: {name: data}\nspec:\n  hostPath: ${DATA:-}\n' +
      '---\n' +
      container('  ports: ["${PORT:-}", "${A:-}:${B}"]\n') +
      '---\n' +
      container('  envFiles: ["${DIR}/settings.env"]\n', 'side');
    const { messages } = await load(text, 'MEDIA_PATH=\nB=\n', { DIR: '' });
    expect(messages).toEqual([
      './app.yaml:5:13: BindMount "media": spec.hostPath is empty: variable MEDIA_PATH is blank (./.env) [E_SCHEMA]',
      './app.yaml:11:13: BindMount "data": spec.hostPath is empty: variable DATA is not set [E_SCHEMA]',
      './app.yaml:18:11: Container "web": spec.ports[0] "" is not a port mapping [ip:]host:container[/proto]: variable PORT is not set [E_PORT]',
      './app.yaml:18:24: Container "web": spec.ports[1] ":" is not a port mapping [ip:]host:container[/proto]: variable A is not set, variable B is blank (./.env) [E_PORT]',
      './app.yaml:25:14: Container "side": spec.envFiles[0] /settings.env does not exist: variable DIR is blank (the environment) [E_IO]',
    ]);
  });

  it('says nothing of variables for a value that is not blank', async () => {
    const { messages } = await load(container('  hostname: "${H:-}x y"\n'));
    expect(messages).toEqual([
      './app.yaml:6:13: Container "web": spec.hostname must match pattern "^[!-~]+$": variable H is not set [E_SCHEMA]',
    ]);
  });
});
