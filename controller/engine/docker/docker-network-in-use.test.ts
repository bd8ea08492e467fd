import { describe, expect, it } from 'vitest';
import { networkInUseMessage, networkUsers } from './docker-errors.js';

describe('networkInUseMessage', () => {
  const inspect = {
    Name: 'shop-back',
    Containers: { aaaa: { Name: 'shop-web' }, bbbb: { Name: 'intruder' } },
  };

  it('names the containers still attached; a network it cannot read is just in use', () => {
    expect(networkInUseMessage('shop-back', undefined)).toBe('network shop-back is in use');
    expect(networkInUseMessage('shop-back', inspect)).toBe(
      'network shop-back is in use by containers intruder, shop-web',
    );
    expect(networkInUseMessage('shop-back', inspect, (id) => id === 'bbbb')).toBe(
      'network shop-back is in use by container intruder',
    );
  });

  it('with no container there, says it is the engine’s stale endpoint (moby#42119) and what clears it (F37)', () => {
    const stale = [
      networkInUseMessage('shop-back', { Name: 'shop-back', Containers: {} }),
      networkInUseMessage('shop-back', inspect, () => false),
    ];
    for (const message of stale) {
      expect(message).toMatch(/^network shop-back is in use although no container is attached/);
      expect(message).toContain('moby#42119');
      expect(message).toContain('sudo systemctl restart docker');
    }
  });

  it('lists its users sorted (down keeps the network and names them, F462); a stale endpoint is none', () => {
    expect(networkUsers(inspect)).toEqual(['intruder', 'shop-web']);
    expect(networkUsers(inspect, (id) => id === 'aaaa')).toEqual(['shop-web']);
    expect(networkUsers(inspect, () => false)).toEqual([]);
    expect(networkUsers(undefined)).toEqual([]);
  });
});
