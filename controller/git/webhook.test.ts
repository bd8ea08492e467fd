import { describe, expect, it } from 'vitest';
import { signBody, webhookSigned } from './webhook.js';

const body = Buffer.from('{"ref":"refs/heads/main"}');

describe('webhookSigned', () => {
  it('accepts GitHub, GitLab and generic signatures made with the secret', () => {
    expect(webhookSigned({ 'x-hub-signature-256': signBody(body, 's3') }, body, 's3')).toBe(true);
    expect(webhookSigned({ 'x-berth-signature': signBody(body, 's3') }, body, 's3')).toBe(true);
    expect(webhookSigned({ 'x-gitlab-token': 's3' }, body, 's3')).toBe(true);
  });

  it('refuses a missing signature, another secret, another body or a truncated one', () => {
    expect(webhookSigned({}, body, 's3')).toBe(false);
    expect(webhookSigned({ 'x-hub-signature-256': signBody(body, 'other') }, body, 's3')).toBe(
      false,
    );
    expect(webhookSigned({ 'x-berth-signature': signBody('{}', 's3') }, body, 's3')).toBe(false);
    expect(
      webhookSigned({ 'x-hub-signature-256': signBody(body, 's3').slice(0, 20) }, body, 's3'),
    ).toBe(false);
    expect(webhookSigned({ 'x-gitlab-token': 's' }, body, 's3')).toBe(false);
  });
});
