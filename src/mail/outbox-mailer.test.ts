import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSmtpSink } from '../../test/support/smtp-sink.js';
import type { OutgoingMessage } from '../domain.js';
import { silentLogger } from '../log.js';
import { composeDigestMessage } from './compose-digest-message.js';
import { createMailer } from './create-mailer.js';
import { MailError } from './errors.js';

const FROM = 'papermail <digest@example.org>';
const MESSAGE_ID = '<digest.2026-12-03.0123456789abcdef@example.org>';

function digestMessage(text = 'Trending papers for Thu 3 Dec 2026 · 1 paper\n'): OutgoingMessage {
  return composeDigestMessage({
    to: 'reader@example.net',
    subject: 'Trending papers · Thu 3 Dec · 1 new',
    html: '<p>Taming Transformers for High-Resolution Image Synthesis</p>',
    text,
    messageId: MESSAGE_ID,
    date: new Date('2026-12-03T06:00:00Z'),
    listId: 'papermail daily digest <digest.example.org>',
    unsubscribeUrl: 'https://papers.example.org/unsubscribe/tok-unsub',
  });
}

/** Header lines of a raw message, unfolded, without the per-message MIME boundary. */
function headerLines(raw: Buffer): string[] {
  const head = raw.toString('latin1').split('\r\n\r\n')[0]!;
  return head
    .replace(/\r\n[ \t]+/g, ' ')
    .split('\r\n')
    .map((line) => line.replace(/boundary="[^"]*"/, 'boundary=…'));
}

describe('createMailer (outbox)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = path.join(await mkdtemp(path.join(tmpdir(), 'papermail-outbox-')), 'outbox');
  });
  afterEach(async () => {
    await rm(path.dirname(dir), { recursive: true, force: true });
  });

  it('creates the directory and saves a parseable .eml named by date and Message-ID', async () => {
    const mailer = createMailer({ kind: 'outbox', dir, from: FROM }, silentLogger());
    const sent = await mailer.send(digestMessage());
    const file = path.join(dir, '2026-12-03_digest.2026-12-03.0123456789abcdef@example.org.eml');
    expect(sent).toEqual({ messageId: MESSAGE_ID, response: `saved to ${file}` });
    expect(mailer.describe()).toBe(`outbox ${dir}`);

    const raw = await readFile(file);
    expect(raw.toString('latin1')).not.toMatch(/[^\r]\n/);
    const mail = await simpleParser(raw);
    expect(mail.messageId).toBe(MESSAGE_ID);
    expect(mail.to).toMatchObject({ value: [{ address: 'reader@example.net' }] });
    expect(raw.toString('latin1')).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r$/m);
    expect(mail.text).toBe('Trending papers for Thu 3 Dec 2026 · 1 paper\n');
    expect(mail.html).toContain('Taming Transformers');
  });

  it('overwrites the file when the same Message-ID is saved again, leaving no temp files', async () => {
    const mailer = createMailer({ kind: 'outbox', dir, from: FROM }, silentLogger());
    await mailer.send(digestMessage('first attempt\n'));
    await mailer.send(digestMessage('second attempt\n'));
    const files = await readdir(dir);
    expect(files).toEqual(['2026-12-03_digest.2026-12-03.0123456789abcdef@example.org.eml']);
    expect((await simpleParser(await readFile(path.join(dir, files[0]!)))).text).toBe('second attempt\n');
  });

  it('fails transiently when it cannot write, and leaves nothing behind', async () => {
    await writeFile(path.dirname(dir) + '/outbox', 'a file where the directory should be');
    const mailer = createMailer({ kind: 'outbox', dir, from: FROM }, silentLogger());
    const thrown = await mailer.send(digestMessage()).catch((error: unknown) => error);
    expect(thrown).toBeInstanceOf(MailError);
    expect(thrown).toMatchObject({ kind: 'transient' });
    expect(await readdir(path.dirname(dir))).toEqual(['outbox']);
  });

  it('writes the same headers SMTP carries', async () => {
    const sink = await startSmtpSink();
    const smtp = createMailer({ kind: 'smtp', url: sink.url, from: FROM, maxConnections: 1, maxMessages: 10 }, silentLogger());
    const outbox = createMailer({ kind: 'outbox', dir, from: FROM }, silentLogger());
    try {
      await smtp.send(digestMessage());
      const saved = await outbox.send(digestMessage());
      const file = saved.response.replace(/^saved to /, '');
      expect(headerLines(await readFile(file))).toEqual(headerLines(sink.messages[0]!.raw));
    } finally {
      await smtp.close();
      await sink.close();
    }
  });
});
