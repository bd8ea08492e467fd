import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { berth } from '../support/cli.js';
import { docker } from '../support/docker.js';

/** F814: `berth version`, as `docker version` and `kubectl version`: berth's and the engine's. */
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('berth version', () => {
  it("names berth's version and the engine's, in text and -o json", async () => {
    const engine = await docker(
      'version',
      '--format',
      '{{.Server.Version}} {{.Server.APIVersion}}',
    );
    const [version, api] = engine.split(' ');
    const json = await berth(['version', '-o', 'json']);
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      berth: pkg.version,
      engine: { version, apiVersion: api },
    });
    const text = await berth(['version']);
    expect(text.stdout).toMatch(
      new RegExp(
        `^berth: +${literal(pkg.version)}\\nengine: +${literal(version!)} \\(API ${literal(api!)}\\) at `,
      ),
    );
  });

  it('still prints its own version when the engine does not answer, and exits 4', async () => {
    const r = await berth(['version', '--engine', 'unix:///nonexistent/engine.sock']);
    expect(r.code).toBe(4);
    expect(r.stdout).toMatch(
      new RegExp(
        `^berth: +${pkg.version}\\nengine: cannot reach the engine at unix:///nonexistent/engine.sock`,
      ),
    );
  });
});
