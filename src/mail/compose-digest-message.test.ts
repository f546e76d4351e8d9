import { describe, expect, it } from 'vitest';
import { composeDigestMessage, type DigestMessageInput } from './compose-digest-message.js';
import { MailError } from './errors.js';

const input: DigestMessageInput = {
  to: 'reader@example.net',
  subject: 'Trending papers · Thu 3 Dec · 8 new',
  html: '<p>papers</p>',
  text: 'papers',
  messageId: '<digest.2026-12-03.0123456789abcdef@example.org>',
  date: new Date('2026-12-03T06:00:00Z'),
  listId: 'papermail daily digest <digest.example.org>',
  unsubscribeUrl: 'https://papers.example.org/unsubscribe/tok-1',
  manageUrl: 'https://papers.example.org/preferences/tok-2',
};

describe('composeDigestMessage', () => {
  it('adds the list, one-click unsubscribe and auto-submitted headers', () => {
    const message = composeDigestMessage(input);
    expect(message).toEqual({
      to: 'reader@example.net',
      subject: input.subject,
      html: input.html,
      text: input.text,
      messageId: input.messageId,
      date: input.date,
      headers: {
        'List-Id': 'papermail daily digest <digest.example.org>',
        'List-Unsubscribe': '<https://papers.example.org/unsubscribe/tok-1>',
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
        'List-Help': '<https://papers.example.org/preferences/tok-2>',
        'Auto-Submitted': 'auto-generated',
        'X-Auto-Response-Suppress': 'OOF, AutoReply',
      },
    });
  });

  it('wraps a bare list id in angle brackets and leaves List-Help out without a manage URL', () => {
    const { headers } = composeDigestMessage({ ...input, listId: 'digest.example.org', manageUrl: undefined });
    expect(headers['List-Id']).toBe('<digest.example.org>');
    expect(headers).not.toHaveProperty('List-Help');
  });

  it('promises one-click unsubscribe only for an https URL (RFC 8058 §3)', () => {
    const { headers } = composeDigestMessage({ ...input, unsubscribeUrl: 'http://localhost:3000/unsubscribe/tok-1' });
    expect(headers['List-Unsubscribe']).toBe('<http://localhost:3000/unsubscribe/tok-1>');
    expect(headers).not.toHaveProperty('List-Unsubscribe-Post');
  });

  it('keeps angle brackets and spaces of a URL from ending the header value', () => {
    const { headers } = composeDigestMessage({ ...input, unsubscribeUrl: 'https://papers.example.org/u/a b>c' });
    expect(headers['List-Unsubscribe']).toBe('<https://papers.example.org/u/a%20b%3Ec>');
  });

  it.each([
    ['a line break in To', { to: 'reader@example.net\r\nBcc: everyone@example.net' }, /line break/],
    ['two recipients', { to: 'reader@example.net, other@example.net' }, /single email address/],
    ['a group', { to: 'readers: a@example.net, b@example.net;' }, /single email address/],
    ['no address', { to: 'reader' }, /single email address/],
    ['a Message-ID without brackets', { messageId: 'digest.2026-12-03@example.org' }, /Message-ID/],
    ['a List-Id without a dot', { listId: 'papermail <digest>' }, /List-Id/],
    ['a javascript: unsubscribe URL', { unsubscribeUrl: 'javascript:alert(1)' }, /unsubscribe URL/],
    ['a relative manage URL', { manageUrl: '/preferences/tok' }, /manage-preferences URL/],
    ['an invalid date', { date: new Date('not a date') }, /date/],
  ])('refuses %s', (_name, override, message) => {
    let thrown: unknown;
    try {
      composeDigestMessage({ ...input, ...override });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(MailError);
    expect((thrown as MailError).kind).toBe('permanent');
    expect((thrown as MailError).message).toMatch(message);
    expect((thrown as MailError).message).not.toContain('example.net');
  });

  it('keeps a subject on one line', () => {
    expect(composeDigestMessage({ ...input, subject: 'Trending\r\nBcc: x@y' }).subject).toBe('Trending Bcc: x@y');
  });
});
