import { describe, expect, it } from 'vitest';
import { normaliseCall } from './api-proxy.js';

describe('normaliseCall', () => {
  it('drops the version prefix and query, and replaces container ids and names', () => {
    expect(normaliseCall('GET', '/v1.41/containers/json?all=1')).toBe('GET /containers/json');
    expect(normaliseCall('POST', '/v1.41/containers/create?name=bench-x')).toBe(
      'POST /containers/create',
    );
    expect(normaliseCall('POST', '/v1.41/containers/3f2a9c/start')).toBe(
      'POST /containers/{id}/start',
    );
    expect(normaliseCall('DELETE', '/containers/bench-b-c001?force=1')).toBe(
      'DELETE /containers/{id}',
    );
    expect(normaliseCall('GET', '/networks/bench-net')).toBe('GET /networks/{id}');
  });
  it('treats everything between /images/ and a trailing verb as one image name', () => {
    expect(normaliseCall('GET', '/v1.41/images/localhost/berth-busybox:1/json')).toBe(
      'GET /images/{id}/json',
    );
    expect(normaliseCall('GET', '/v1.41/images/json')).toBe('GET /images/json');
    expect(normaliseCall('POST', '/images/create?fromImage=x')).toBe('POST /images/create');
  });
});
