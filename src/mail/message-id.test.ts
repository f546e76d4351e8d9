import { describe, expect, it } from 'vitest';
import { MailError } from './errors.js';
import { domainOf, makeMessageId } from './message-id.js';

const base = { subscriberId: 123457, digestDate: '2026-12-03', secret: 's3cret-key', domain: 'example.org' };

describe('makeMessageId', () => {
  it('names the digest date and the domain around a 16-hex MAC', () => {
    expect(makeMessageId(base)).toMatch(/^<digest\.2026-12-03\.[0-9a-f]{16}@example\.org>$/);
  });

  it('is the same for every attempt at one subscriber’s digest of one date', () => {
    expect(makeMessageId(base)).toBe(makeMessageId({ ...base }));
  });

  it('differs per subscriber, date and secret', () => {
    const ids = new Set([
      makeMessageId(base),
      makeMessageId({ ...base, subscriberId: 123458 }),
      makeMessageId({ ...base, digestDate: '2026-12-04' }),
      makeMessageId({ ...base, secret: 'another-secret' }),
    ]);
    expect(ids.size).toBe(4);
  });

  it('does not reveal the subscriber id', () => {
    expect(makeMessageId(base)).not.toContain('123457');
  });

  it.each([
    [{ subscriberId: -1 }, /subscriber id/],
    [{ digestDate: '3 Dec 2026' }, /digest date/],
    [{ secret: '' }, /secret/],
    [{ domain: 'example.org>\r\nBcc: x@y' }, /not a domain/],
  ])('refuses %j', (override, message) => {
    expect(() => makeMessageId({ ...base, ...override })).toThrow(message);
  });
});

describe('domainOf', () => {
  it.each([
    ['papermail <digest@example.org>', 'example.org'],
    ['digest@Mail.Example.ORG', 'mail.example.org'],
    ['"Papers, daily" <digest@papers.example.net>', 'papers.example.net'],
  ])('finds the domain of %s', (address, domain) => {
    expect(domainOf(address)).toBe(domain);
  });

  it('refuses an address without a domain', () => {
    expect(() => domainOf('papermail')).toThrow(MailError);
  });
});
