import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../specs/index.js';
import { MemoryEngine } from '../engine/memory/memory-engine.js';
import { refuseWhatTheEngineCannotCarry } from './engine-fields-check.js';

describe('refuseWhatTheEngineCannotCarry', () => {
  const app = (spec: string) =>
    `apiVersion: berth/v1\nkind: Container\nmetadata: {name: app}\nspec: {image: busybox:1, ${spec}}\n`;
  const load = async (text: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'berth-carry-'));
    writeFileSync(join(dir, 'app.yaml'), text);
    const { set } = await loadManifests([join(dir, 'app.yaml')]);
    rmSync(dir, { recursive: true });
    return set.objects;
  };

  it('refuses, as E_MANIFEST naming the engine, a field the engine declares it cannot carry (F165)', async () => {
    const engine = new MemoryEngine();
    engine.limits = {
      engine: 'Podman 4.3.1',
      cannotCarry: [{ field: 'gpus', why: 'it ignores DeviceRequests' }],
    };
    const refused = refuseWhatTheEngineCannotCarry(engine, await load(app('gpus: all')));
    await expect(refused).rejects.toMatchObject({
      code: 'E_MANIFEST',
      message: '1 field the engine (Podman 4.3.1, API 1.41) cannot carry; nothing was changed',
    });
    await refuseWhatTheEngineCannotCarry(engine, await load(app('hostname: a')));
    expect(engine.calls.ping).toBe(1);
    engine.limits = undefined;
    await refuseWhatTheEngineCannotCarry(engine, await load(app('gpus: all')));
  });
});
