import { createHash, generateKeyPairSync, verify, type KeyObject } from 'node:crypto';
import type { Worker } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSmtpSink, type SmtpSink } from '../../test/support/smtp-sink.js';
import type { Mailer, OutgoingMessage } from '../domain.js';
import { silentLogger } from '../log.js';
import { composeDigestMessage } from './compose-digest-message.js';
import { createMailer } from './create-mailer.js';
import { createSmtpMailer } from './smtp-mailer.js';
import { MailError } from './errors.js';

const FROM = 'papermail <digest@example.org>';

function digestMessage(to: string, overrides: { messageId?: string } = {}): OutgoingMessage {
  return composeDigestMessage({
    to,
    subject: 'Trending papers · Thu 3 Dec · 2 new',
    html: '<!doctype html><html><body><p>Decision Transformer: Reinforcement Learning via Sequence Modeling</p></body></html>',
    text: 'Trending papers for Thu 3 Dec 2026 · 2 papers\n\n1. Decision Transformer: Reinforcement Learning via Sequence Modeling\n',
    messageId: overrides.messageId ?? '<digest.2026-12-03.0123456789abcdef@example.org>',
    date: new Date('2026-12-03T06:00:00Z'),
    listId: 'papermail daily digest <digest.example.org>',
    unsubscribeUrl: 'https://papers.example.org/unsubscribe/tok-unsub',
    manageUrl: 'https://papers.example.org/preferences/tok-manage',
  });
}

async function sendFailure(mailer: Mailer, message: OutgoingMessage): Promise<MailError> {
  const thrown = await mailer.send(message).then(
    () => null,
    (error: unknown) => error,
  );
  expect(thrown).toBeInstanceOf(MailError);
  return thrown as MailError;
}

describe('createMailer (smtp)', () => {
  let sink: SmtpSink;
  let mailer: Mailer;
  beforeEach(async () => {
    sink = await startSmtpSink();
    mailer = createMailer({ kind: 'smtp', url: sink.url, from: FROM, maxConnections: 2, maxMessages: 100 }, silentLogger());
  });
  afterEach(async () => {
    await mailer.close();
    await sink.close();
  });

  it('resolves with the server’s reply once it accepted the one recipient', async () => {
    const sent = await mailer.send(digestMessage('reader@example.net'));
    expect(sent).toEqual({ messageId: '<digest.2026-12-03.0123456789abcdef@example.org>', response: expect.stringMatching(/^250 OK queued as 1/) });
    expect(sink.messages).toHaveLength(1);
    expect(sink.messages[0]!.envelope).toEqual({ from: 'digest@example.org', to: ['reader@example.net'] });
  });

  it('delivers every digest header, unchanged', async () => {
    await mailer.send(digestMessage('reader@example.net'));
    const mail = await sink.messages[0]!.parsed();
    expect(mail.from?.value).toEqual([{ name: 'papermail', address: 'digest@example.org' }]);
    expect(mail.to).toMatchObject({ value: [{ address: 'reader@example.net' }] });
    expect(mail.subject).toBe('Trending papers · Thu 3 Dec · 2 new');
    expect(mail.date?.toISOString()).toBe('2026-12-03T06:00:00.000Z');
    expect(mail.messageId).toBe('<digest.2026-12-03.0123456789abcdef@example.org>');
    expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
    // mailparser folds List-* headers into one object; the raw lines are what mailbox providers read.
    const raw = sink.messages[0]!.raw.toString('latin1');
    expect(raw).toMatch(/^List-Id: papermail daily digest <digest\.example\.org>\r$/im);
    expect(raw).toMatch(/^List-Unsubscribe: <https:\/\/papers\.example\.org\/unsubscribe\/tok-unsub>\r$/im);
    expect(raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r$/im);
    expect(raw).toMatch(/^List-Help: <https:\/\/papers\.example\.org\/preferences\/tok-manage>\r$/im);
    expect(raw.match(/^To: /gm)).toHaveLength(1);
    expect(raw.match(/^Content-Transfer-Encoding: quoted-printable\r$/gm)).toHaveLength(2);
    expect(mail.text).toContain('1. Decision Transformer: Reinforcement Learning via Sequence Modeling');
    expect(mail.html).toContain('<p>Decision Transformer');
  });

  it('sends one message after another over the same connection, and opens a new one after SMTP_MAX_MESSAGES', async () => {
    const rotating = createSmtpMailer({ url: sink.url, from: FROM, maxConnections: 1, maxMessages: 2 }, silentLogger());
    try {
      for (let n = 1; n <= 5; n++) await rotating.send(digestMessage(`reader${n}@example.net`));
      expect(sink.messages.map((message) => message.envelope.to[0])).toEqual([1, 2, 3, 4, 5].map((n) => `reader${n}@example.net`));
      // 2 + 2 + 1 messages.
      expect(sink.connections).toBe(3);
    } finally {
      await rotating.close();
    }
  });

  it('sends over a new connection after the server closed an idle one', async () => {
    await mailer.send(digestMessage('first@example.net'));
    sink.dropConnections();
    await new Promise((resolve) => setTimeout(resolve, 100));
    await mailer.send(digestMessage('next@example.net'));
    expect(sink.messages.map((message) => message.envelope.to)).toEqual([['first@example.net'], ['next@example.net']]);
    expect(sink.connections).toBe(2);
  });

  it('never opens more than SMTP_MAX_CONNECTIONS connections, however many messages are handed over at once', async () => {
    sink.set({ acceptDelayMs: 20 });
    const sends = Array.from({ length: 12 }, (_, n) => mailer.send(digestMessage(`reader${n}@example.net`)));
    await Promise.all(sends);
    expect(sink.accepted).toBe(12);
    expect(sink.connections).toBeLessThanOrEqual(2);
  });

  it('sends a retry with the same Message-ID', async () => {
    await mailer.send(digestMessage('reader@example.net'));
    await mailer.send(digestMessage('reader@example.net'));
    const [first, second] = await Promise.all(sink.messages.map((message) => message.parsed()));
    expect(second!.messageId).toBe(first!.messageId);
  });

  it('fails permanently at RCPT TO on 550, without the address in the message', async () => {
    sink.set({ rcpt: (address) => (address === 'gone@example.net' ? { code: 550, message: `5.1.1 <${address}>: Recipient address rejected` } : null) });
    const error = await sendFailure(mailer, digestMessage('gone@example.net'));
    expect(error).toMatchObject({ kind: 'permanent', responseCode: 550, command: 'RCPT TO' });
    expect(error.message).toMatch(/^sending <digest\.2026-12-03\.0123456789abcdef@example\.org> via smtp:\/\/127\.0\.0\.1:\d+ failed: .*550/);
    expect(error.message).not.toContain('gone@example.net');
    expect(sink.messages).toHaveLength(0);
  });

  it('fails transiently at RCPT TO on 451', async () => {
    sink.set({ rcpt: () => ({ code: 451, message: '4.7.1 Greylisted, try again later' }) });
    expect(await sendFailure(mailer, digestMessage('reader@example.net'))).toMatchObject({ kind: 'transient', responseCode: 451, command: 'RCPT TO' });
  });

  it('fails transiently on 451 at the end of DATA and permanently on 554', async () => {
    sink.set({ data: () => ({ code: 451, message: '4.3.0 Temporary failure' }) });
    expect(await sendFailure(mailer, digestMessage('reader@example.net'))).toMatchObject({ kind: 'transient', responseCode: 451, command: 'DATA' });
    sink.set({ data: () => ({ code: 554, message: '5.7.1 Message rejected as spam' }) });
    expect(await sendFailure(mailer, digestMessage('reader@example.net'))).toMatchObject({ kind: 'permanent', responseCode: 554, command: 'DATA' });
  });

  it('reports a connection dropped during DATA as uncertain and never resends it on its own', async () => {
    let recipientsOffered = 0;
    sink.set({ dropDuringData: true, rcpt: () => (recipientsOffered++, null) });
    const error = await sendFailure(mailer, digestMessage('reader@example.net'));
    expect(error).toMatchObject({ kind: 'uncertain', responseCode: null });

    // A message resent on its own would reach the server again before the next one.
    sink.set({ dropDuringData: false });
    await mailer.send(digestMessage('next@example.net', { messageId: '<digest.2026-12-03.fedcba9876543210@example.org>' }));
    expect(recipientsOffered).toBe(2);
    expect(sink.messages.map((message) => message.envelope.to)).toEqual([['next@example.net']]);
  });

  it('reports a reused connection lost before DATA as transient and does not resend the message on its own', async () => {
    let recipientsOffered = 0;
    sink.set({ rcpt: (address) => (recipientsOffered++, address === 'drop@example.net' ? 'drop' : null) });
    await mailer.send(digestMessage('first@example.net'));
    // The connection is now a reused one, which a server may have dropped since its last message.
    const error = await sendFailure(mailer, digestMessage('drop@example.net'));
    expect(error).toMatchObject({ kind: 'transient', responseCode: null });
    await mailer.send(digestMessage('next@example.net'));
    expect(recipientsOffered).toBe(3);
    expect(sink.messages.map((message) => message.envelope.to)).toEqual([['first@example.net'], ['next@example.net']]);
  });

  it('reports the messages a dying worker thread held as uncertain, and sends the next one through a new thread', async () => {
    const workers: Worker[] = [];
    const watched = createSmtpMailer({ url: sink.url, from: FROM, maxConnections: 2, maxMessages: 100 }, silentLogger(), { onWorkerStarted: (worker) => workers.push(worker) });
    try {
      let arrived!: () => void;
      const atServer = new Promise<void>((resolve) => (arrived = resolve));
      sink.set({ data: () => (arrived(), null), acceptDelayMs: 60_000 });
      const inFlight = sendFailure(watched, digestMessage('reader@example.net'));
      await atServer;
      await workers[0]!.terminate();
      expect(await inFlight).toMatchObject({ kind: 'uncertain', message: expect.stringContaining('worker thread exited') });

      sink.set({ data: undefined, acceptDelayMs: undefined });
      const next = await watched.send(digestMessage('next@example.net', { messageId: '<digest.2026-12-03.fedcba9876543210@example.org>' }));
      expect(next.response).toMatch(/^250 /);
      expect(workers).toHaveLength(2);
    } finally {
      await watched.close();
    }
  });

  it('reports a server it cannot reach as transient', async () => {
    await sink.close();
    expect(await sendFailure(mailer, digestMessage('reader@example.net'))).toMatchObject({ kind: 'transient', responseCode: null, command: 'CONN' });
  });

  it('refuses a recipient with a line break before talking to the server', async () => {
    const message = { ...digestMessage('reader@example.net'), to: 'reader@example.net\r\nBcc: all@example.net' };
    expect(await sendFailure(mailer, message)).toMatchObject({ kind: 'permanent', command: 'API' });
    expect(sink.messages).toHaveLength(0);
  });
});

describe('createMailer (smtp) describe', () => {
  it('names the server without the credentials of the URL', async () => {
    const sink = await startSmtpSink();
    const url = `smtp://digest%40example.org:hunter2@127.0.0.1:${sink.port}`;
    const mailer = createMailer({ kind: 'smtp', url, from: FROM, maxConnections: 1, maxMessages: 10 }, silentLogger());
    try {
      expect(mailer.describe()).toBe(`smtp://127.0.0.1:${sink.port}`);
      await mailer.send(digestMessage('reader@example.net'));
      expect(sink.messages).toHaveLength(1);
    } finally {
      await mailer.close();
      await sink.close();
    }
  });

  it.each([
    ['smtps://relay.example.org', 'smtps://relay.example.org:465'],
    ['smtp://relay.example.org', 'smtp://relay.example.org:587'],
    ['smtp://u:p@relay.example.org:2525?pool=true', 'smtp://relay.example.org:2525'],
  ])('describes %s as %s', (url, described) => {
    expect(createMailer({ kind: 'smtp', url, from: FROM, maxConnections: 1, maxMessages: 1 }, silentLogger()).describe()).toBe(described);
  });

  it('refuses a URL that is not smtp:// or smtps://', () => {
    expect(() => createMailer({ kind: 'smtp', url: 'https://relay.example.org', from: FROM, maxConnections: 1, maxMessages: 1 }, silentLogger())).toThrow(
      /must start with smtp:\/\/ or smtps:\/\//,
    );
  });
});

describe('createMailer (smtp) with DKIM', () => {
  it('signs every message with a signature that covers List-Unsubscribe and List-Unsubscribe-Post and verifies', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const sink = await startSmtpSink();
    const mailer = createMailer(
      {
        kind: 'smtp',
        url: sink.url,
        from: FROM,
        maxConnections: 1,
        maxMessages: 10,
        dkim: { domainName: 'example.org', keySelector: 'papermail', privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() },
      },
      silentLogger(),
    );
    try {
      await mailer.send(digestMessage('reader@example.net'));
      const signature = verifyDkim(sink.messages[0]!.raw, publicKey);
      expect(signature.d).toBe('example.org');
      expect(signature.s).toBe('papermail');
      expect(signature.signedHeaders).toEqual(expect.arrayContaining(['from', 'to', 'subject', 'date', 'message-id', 'list-unsubscribe', 'list-unsubscribe-post']));
    } finally {
      await mailer.close();
      await sink.close();
    }
  });
});

/**
 * Verifies a relaxed/relaxed rsa-sha256 DKIM signature (RFC 6376 §3.4.2, §3.4.4, §3.7) with a known
 * public key, so the test checks the signature itself, not only that a header is there.
 */
function verifyDkim(raw: Buffer, publicKey: KeyObject): { d: string; s: string; signedHeaders: string[] } {
  const text = raw.toString('latin1');
  const split = text.indexOf('\r\n\r\n');
  const headerLines = text.slice(0, split).split(/\r\n(?![ \t])/);
  const body = text.slice(split + 4);
  const dkimLine = headerLines.find((line) => /^dkim-signature:/i.test(line));
  if (!dkimLine) throw new Error('no DKIM-Signature header');
  const tags = Object.fromEntries(
    dkimLine
      .slice(dkimLine.indexOf(':') + 1)
      .split(';')
      .map((tag) => tag.replace(/\s+/g, ''))
      .filter(Boolean)
      .map((tag) => [tag.slice(0, tag.indexOf('=')), tag.slice(tag.indexOf('=') + 1)]),
  ) as Record<string, string>;
  expect(tags).toMatchObject({ v: '1', a: 'rsa-sha256', c: 'relaxed/relaxed' });

  const relaxedBody = body
    .split('\r\n')
    .map((line) => line.replace(/[ \t]+/g, ' ').replace(/ $/, ''))
    .join('\r\n')
    .replace(/(\r\n)*$/, '\r\n');
  expect(createHash('sha256').update(relaxedBody, 'latin1').digest('base64')).toBe(tags.bh);

  const relaxedHeader = (line: string) => {
    const colon = line.indexOf(':');
    return `${line.slice(0, colon).trim().toLowerCase()}:${line.slice(colon + 1).replace(/\r\n/g, '').replace(/[ \t]+/g, ' ').trim()}`;
  };
  const signedHeaders = tags.h!.toLowerCase().split(':');
  const used = new Set<number>();
  let signedData = '';
  for (const name of signedHeaders) {
    for (let i = headerLines.length - 1; i >= 0; i--) {
      if (!used.has(i) && headerLines[i]!.slice(0, headerLines[i]!.indexOf(':')).trim().toLowerCase() === name) {
        used.add(i);
        signedData += `${relaxedHeader(headerLines[i]!)}\r\n`;
        break;
      }
    }
  }
  signedData += relaxedHeader(dkimLine).replace(/b=[^;]*$/, 'b=');
  const valid = verify('sha256', Buffer.from(signedData, 'latin1'), publicKey, Buffer.from(tags.b!, 'base64'));
  expect(valid).toBe(true);
  return { d: tags.d!, s: tags.s!, signedHeaders };
}
