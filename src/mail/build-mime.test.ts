import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import type { OutgoingMessage } from '../domain.js';
import { joinBody, recurring } from '../message-body.js';
import { buildMime, encodeQuotedPrintable, parseSender } from './build-mime.js';
import { MailError } from './errors.js';

const SENDER = parseSender('papermail <digest@example.org>');

function message(overrides: Partial<OutgoingMessage> = {}): OutgoingMessage {
  return {
    to: 'reader@example.net',
    subject: 'Trending papers · Thu 3 Dec · 2 new',
    html: '<!doctype html><html><body><p>Taming Transformers — “high-resolution” image synthesis</p></body></html>',
    text: 'Trending papers for Thu 3 Dec 2026 · 2 papers\n\n1. Taming Transformers\n',
    messageId: '<digest.2026-12-03.0123456789abcdef@example.org>',
    date: new Date('2026-12-03T06:00:00Z'),
    headers: {
      'List-Id': 'papermail daily digest <digest.example.org>',
      'List-Unsubscribe': '<https://papers.example.org/unsubscribe/tok-unsub>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'Auto-Submitted': 'auto-generated',
    },
    ...overrides,
  };
}

/** Decodes quoted-printable the way a mail client does, by parsing a one-part message around it. */
async function decodeQuotedPrintable(encoded: Buffer): Promise<string> {
  const mail = await simpleParser(
    Buffer.concat([Buffer.from('Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n'), encoded]),
  );
  return mail.text ?? '';
}

describe('buildMime', () => {
  it('writes a message mail clients read back exactly: headers, text and HTML parts', async () => {
    const built = buildMime(message(), SENDER);
    expect(built.envelope).toEqual({ from: 'digest@example.org', to: 'reader@example.net' });

    const mail = await simpleParser(built.raw);
    expect(mail.from?.value).toEqual([{ name: 'papermail', address: 'digest@example.org' }]);
    expect(mail.to).toMatchObject({ value: [{ address: 'reader@example.net' }] });
    expect(mail.subject).toBe('Trending papers · Thu 3 Dec · 2 new');
    expect(mail.messageId).toBe('<digest.2026-12-03.0123456789abcdef@example.org>');
    expect(mail.date?.toISOString()).toBe('2026-12-03T06:00:00.000Z');
    expect(mail.text).toBe(message().text);
    expect(mail.html).toBe(message().html);
    const header = (key: string) => mail.headerLines.find((line) => line.key === key)?.line;
    expect(header('list-id')).toBe('List-Id: papermail daily digest <digest.example.org>');
    expect(header('list-unsubscribe')).toBe('List-Unsubscribe: <https://papers.example.org/unsubscribe/tok-unsub>');
    expect(header('list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(header('auto-submitted')).toBe('Auto-Submitted: auto-generated');
  });

  it('keeps to the wire format: CRLF only, lines of at most 76 characters, ASCII only', () => {
    const longHtml = `<table>${'<tr><td style="padding:0 8px">Déjà vu: attention is all you need = 42</td></tr>'.repeat(200)}</table>`;
    const raw = buildMime(message({ html: longHtml }), SENDER).raw.toString('latin1');
    expect(raw).not.toMatch(/[^\r]\n|\r[^\n]/);
    expect(raw).toMatch(/^[\x00-\x7f]*$/);
    const body = raw.slice(raw.indexOf('\r\n\r\n') + 4);
    for (const line of body.split('\r\n')) expect(line.length).toBeLessThanOrEqual(76);
  });

  it('quotes or encodes display names that are not plain atoms', async () => {
    const quoted = parseSender('"Papers, daily" <digest@example.org>');
    expect(quoted.header).toBe('"Papers, daily" <digest@example.org>');
    const encoded = parseSender('Bücherwurm Digest <digest@example.org>');
    const mail = await simpleParser(buildMime(message(), encoded).raw);
    expect(mail.from?.value).toEqual([{ name: 'Bücherwurm Digest', address: 'digest@example.org' }]);
    expect(parseSender('digest@example.org')).toEqual({ header: 'digest@example.org', address: 'digest@example.org' });
  });

  it('sends to an internationalized domain by its ASCII name', () => {
    const built = buildMime(message({ to: 'leser@bücher.example' }), SENDER);
    expect(built.envelope.to).toBe('leser@xn--bcher-kva.example');
    expect(built.raw.toString('latin1')).toMatch(/^To: leser@xn--bcher-kva\.example\r$/m);
  });

  it('refuses what could inject a header or a second recipient', () => {
    expect(() => buildMime(message({ to: 'a@example.net, b@example.net' }), SENDER)).toThrow(MailError);
    expect(() => buildMime(message({ headers: { 'X-Evil': 'a\r\nBcc: b@example.net' } }), SENDER)).toThrow(/not a safe header/);
    expect(() => buildMime(message({ headers: { 'X Evil': 'a' } }), SENDER)).toThrow(/not a safe header/);
    expect(() => parseSender('a@example.org, b@example.org')).toThrow(/MAIL_FROM/);
    expect(() => parseSender('not an address')).toThrow(/MAIL_FROM/);
  });

  it('folds a subject line in line breaks into one line', async () => {
    const mail = await simpleParser(buildMime(message({ subject: 'Trending\r\nBcc: x@example.net' }), SENDER).raw);
    expect(mail.subject).toBe('Trending Bcc: x@example.net');
    expect(mail.bcc).toBeUndefined();
  });
});

describe('encodeQuotedPrintable', () => {
  it('leaves printable ASCII alone and encodes =, non-ASCII and trailing whitespace', () => {
    expect(encodeQuotedPrintable('a = b').toString()).toBe('a =3D b');
    expect(encodeQuotedPrintable('café').toString()).toBe('caf=C3=A9');
    expect(encodeQuotedPrintable('end \nnext\t\r\nlast ').toString()).toBe('end=20\r\nnext=09\r\nlast=20');
    expect(encodeQuotedPrintable('lone\rCR').toString()).toBe('lone=0DCR');
  });

  it('soft-breaks long lines without splitting an escape', () => {
    const encoded = encodeQuotedPrintable(`${'x'.repeat(74)}é${'y'.repeat(100)}`).toString();
    const lines = encoded.split('\r\n');
    expect(lines[0]).toBe(`${'x'.repeat(74)}=`);
    expect(lines[1]!.startsWith('=C3=A9')).toBe(true);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(76);
  });

  it('round-trips any text through a mail parser', async () => {
    const samples = [
      '',
      '.\n..leading dots\n',
      'tabs\tand  spaces  \n\n  \n',
      '🚀 emoji, 中文, Ελληνικά, and = signs ==== at 76 columns '.repeat(9),
      `${'a'.repeat(75)}=${'b'.repeat(75)} \n`,
      Array.from({ length: 300 }, (_, i) => String.fromCodePoint(32 + ((i * 7919) % 0x2fff))).join(''),
    ];
    for (const sample of samples) {
      const encoded = encodeQuotedPrintable(sample);
      for (const line of encoded.toString('latin1').split('\r\n')) expect(line.length).toBeLessThanOrEqual(76);
      // Mail parsers hand back text with LF line ends.
      expect(await decodeQuotedPrintable(encoded)).toBe(sample.replace(/\r\n/g, '\n'));
    }
  });

  it('encodes lone surrogates as U+FFFD, as Buffer.from does', () => {
    const text = `a\ud800b\udc00c😀`;
    expect(encodeQuotedPrintable(text).toString()).toBe(encodeQuotedPrintable(Buffer.from(text, 'utf8').toString('utf8')).toString());
  });

  it('writes a body in pieces that reads back as the joined body, reusing the bytes of recurring pieces', async () => {
    const paper = recurring(`<div style="font-size:17px">Taming Transformers — “high-resolution” ${'image synthesis '.repeat(12)}</div>`);
    const html = (reason: string) => [recurring('<!doctype html><html><body>'), paper, reason, paper, 'tok-🚀 ', recurring('</body></html>')];
    const first = buildMime(message({ html: html('Matches: Efficient architectures · mamba'), text: ['1. ', recurring('Taming\n'), 'why = this'] }), SENDER);
    const second = buildMime(message({ html: html('Matches: diffusion'), text: 'plain' }), SENDER);
    const firstMail = await simpleParser(first.raw);
    expect(firstMail.html).toBe(joinBody(html('Matches: Efficient architectures · mamba')));
    expect(firstMail.text).toBe('1. Taming\nwhy = this');
    expect((await simpleParser(second.raw)).html).toBe(joinBody(html('Matches: diffusion')));
    for (const line of first.raw.toString('latin1').split('\r\n')) expect(line.length).toBeLessThanOrEqual(76);
    const encodedPaper = encodeQuotedPrintable(paper.text, { softBreakAtEnd: true });
    expect(first.raw.indexOf(encodedPaper)).toBeGreaterThan(0);
    expect(second.raw.indexOf(encodedPaper)).toBeGreaterThan(0);
  });

  it('hands back a Buffer that owns its memory, so it moves to the SMTP worker without a copy', () => {
    const { raw } = buildMime(message(), SENDER);
    expect(raw.byteOffset).toBe(0);
    expect(raw.buffer.byteLength).toBe(raw.length);
  });
});
