import { describe, expect, it } from 'vitest';
import { createTokenSigner, type TokenPurpose } from './tokens.js';

const secret = 'a-test-secret-that-is-long-enough-0123456789';
const now = new Date('2026-12-03T07:00:00Z');

describe('createTokenSigner', () => {
  const tokens = createTokenSigner(secret);

  it('round-trips the claims it signed', () => {
    const token = tokens.sign({ purpose: 'unsubscribe', subscriberId: 42, paperId: 0, expiresAt: null });
    expect(tokens.verify(token, 'unsubscribe', now)).toEqual({
      status: 'valid',
      claims: { purpose: 'unsubscribe', subscriberId: 42, paperId: 0, expiresAt: null },
    });
  });

  it('is URL-safe and shows no id in clear', () => {
    const token = tokens.sign({ purpose: 'manage', subscriberId: 123456, paperId: 0, expiresAt: null });
    expect(token).toMatch(/^[A-Za-z0-9_-]{38}$/);
    expect(token).not.toContain('123456');
    expect(Buffer.from(token, 'base64url').includes(Buffer.from([0x01, 0xe2, 0x40]))).toBe(false);
  });

  it.each<[TokenPurpose, TokenPurpose]>([
    ['unsubscribe', 'manage'],
    ['manage', 'confirm'],
    ['confirm', 'unsubscribe'],
    ['feedback', 'manage'],
  ])('refuses a %s token used for %s', (signedFor, usedFor) => {
    const token = tokens.sign({ purpose: signedFor, subscriberId: 7, paperId: 3, expiresAt: null });
    expect(tokens.verify(token, usedFor, now).status).toBe('invalid');
  });

  it('refuses a token signed with another secret', () => {
    const forged = createTokenSigner('another-secret-that-is-long-enough-9876543210').sign({ purpose: 'unsubscribe', subscriberId: 1, paperId: 0, expiresAt: null });
    expect(tokens.verify(forged, 'unsubscribe', now).status).toBe('invalid');
  });

  it('refuses a token with one character changed', () => {
    const token = tokens.sign({ purpose: 'unsubscribe', subscriberId: 1, paperId: 0, expiresAt: null });
    const tampered = `${token.slice(0, 5)}${token[5] === 'A' ? 'B' : 'A'}${token.slice(6)}`;
    expect(tokens.verify(tampered, 'unsubscribe', now).status).toBe('invalid');
  });

  it.each(['', 'short', 'x'.repeat(38), '../../etc/passwd', `${'A'.repeat(37)}=`])('refuses malformed token %j', (token) => {
    expect(tokens.verify(token, 'unsubscribe', now).status).toBe('invalid');
  });

  it('reports an expired token as expired, with its claims, so a page can offer to start again', () => {
    const token = tokens.sign({ purpose: 'confirm', subscriberId: 9, paperId: 0, expiresAt: new Date(now.getTime() + 1000) });
    expect(tokens.verify(token, 'confirm', now).status).toBe('valid');
    const later = tokens.verify(token, 'confirm', new Date(now.getTime() + 2000));
    expect(later.status).toBe('expired');
  });

  it('carries a paper id for feedback tokens', () => {
    const token = tokens.sign({ purpose: 'feedback', subscriberId: 5, paperId: 4_000_000, expiresAt: null });
    const check = tokens.verify(token, 'feedback', now);
    expect(check.status === 'valid' && check.claims.paperId).toBe(4_000_000);
  });
});
