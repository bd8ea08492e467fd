import { describe, expect, it } from 'vitest';
import { gpuRequest } from './gpu-request.js';

describe('Compose GPU requests → gpus', () => {
  it('keeps the short forms for the gpu capability alone', () => {
    expect(gpuRequest('all')).toBe('all');
    expect(gpuRequest(2)).toBe(2);
    expect(gpuRequest([{ capabilities: ['gpu'] }])).toBe('all');
    expect(gpuRequest([{ capabilities: ['gpu'], count: 'all' }])).toBe('all');
    expect(gpuRequest([{ capabilities: ['gpu'], count: '2' }])).toBe(2);
    expect(gpuRequest([{ capabilities: ['gpu'], device_ids: ['0', '3'] }])).toEqual(['0', '3']);
  });

  it('carries a driver, other capabilities and options as the long form', () => {
    // linuxserver.io's documented NVIDIA reservation.
    expect(
      gpuRequest([
        { driver: 'nvidia', count: 1, capabilities: ['compute', 'video', 'graphics', 'utility'] },
      ]),
    ).toEqual({
      count: 1,
      driver: 'nvidia',
      capabilities: ['compute', 'video', 'graphics', 'utility'],
    });
    expect(gpuRequest([{ driver: 'nvidia', count: 'all', capabilities: ['gpu'] }])).toEqual({
      count: 'all',
      driver: 'nvidia',
    });
    expect(
      gpuRequest([{ capabilities: ['gpu'], device_ids: ['GPU-1'], options: { virt: 1 } }]),
    ).toEqual({ deviceIds: ['GPU-1'], options: { virt: '1' } });
  });

  it('cannot carry two requests, an unknown key, a count with device ids, or a variable count', () => {
    expect(gpuRequest([{ capabilities: ['gpu'] }, { capabilities: ['tpu'] }])).toBeUndefined();
    expect(gpuRequest([{ capabilities: ['gpu'], extra: 1 }])).toBeUndefined();
    expect(gpuRequest([{ capabilities: ['gpu'], count: 1, device_ids: ['0'] }])).toBeUndefined();
    expect(gpuRequest([{ capabilities: ['gpu'], count: '${GPUS}' }])).toBeUndefined();
    expect(gpuRequest(0)).toBeUndefined();
    expect(gpuRequest('some')).toBeUndefined();
  });
});
