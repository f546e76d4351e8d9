import type { Readable } from 'node:stream';
import nodemailer, { type SendMailOptions, type SMTPPoolSentMessageInfo } from 'nodemailer';
import type { BuiltMessage } from './build-mime.js';
import { classifySmtpError } from './classify-smtp-error.js';
import { MailError } from './errors.js';

export interface SmtpTransportConfig {
  /** `smtp://user:pass@host:587` (STARTTLS when offered) or `smtps://…:465` (TLS from the start). */
  url: string;
  maxConnections: number;
  maxMessages: number;
  dkim?: { domainName: string; keySelector: string; privateKey: string };
}

/** Where the transport reports what the caller's log should show (it may run in a worker thread). */
export type TransportLog = (level: 'warn' | 'debug', fields: Record<string, unknown>, message: string) => void;

export interface SmtpTransport {
  /** Resolves with the server's reply once it accepted the one recipient; rejects with a classified `MailError`. */
  send(message: BuiltMessage, messageId: string): Promise<string>;
  /** Idle connections close now; one in the middle of a message finishes it first. */
  close(): void;
}

/**
 * Headers the DKIM signature covers. RFC 8058 §3 makes one-click unsubscribe valid only when the
 * signature covers both List-Unsubscribe and List-Unsubscribe-Post; the rest are RFC 6376 §5.4.1's
 * recommended set plus the list headers we send.
 */
const DKIM_SIGNED_HEADERS = [
  'From', 'To', 'Subject', 'Date', 'Message-ID', 'MIME-Version', 'Content-Type',
  'List-Id', 'List-Help', 'List-Unsubscribe', 'List-Unsubscribe-Post', 'Auto-Submitted',
].join(':');

/** Key under which a send's message stream is recorded (nodemailer copies own string keys of the message data). */
const STREAM_WATCH = 'papermailStreamWatch';
interface StreamWatch {
  stream: Readable | null;
}

/**
 * nodemailer's SMTP pool, handed finished messages (`raw`): it signs them (DKIM) and sends them, one
 * recipient each. Runs inside the SMTP worker thread (`smtp-worker.ts`).
 */
export function createSmtpTransport(config: SmtpTransportConfig, log: TransportLog): SmtpTransport {
  const endpoint = describeSmtpUrl(config.url);
  const transporter = nodemailer.createTransport({
    url: config.url,
    pool: true,
    maxConnections: config.maxConnections,
    maxMessages: config.maxMessages,
    // Never let the pool resend on its own: only the delivery ledger decides what goes out again.
    // nodemailer's smtp-pool (10.6.1, `_shouldRequeuOnConnectionClose`) requeues a message whose
    // connection closed under it up to `maxRequeues` times, 5 when unset (the pooled-SMTP docs say
    // "unlimited"; "set to 0 to disable re-queuing entirely"). With 0 the send fails instead, with
    // ECONNECTION "Reached maximum number of retries after connection was closed".
    maxRequeues: 0,
    ...(config.dkim ? { dkim: { ...config.dkim, headerFieldNames: DKIM_SIGNED_HEADERS } } : {}),
  });
  // Failures reach each send's promise; an 'error' event without a listener would end the thread.
  transporter.on('error', (error) => log('warn', { error: error.message }, 'smtp transport error'));
  // The message stream the pool reads is the only witness of whether the server got any of the
  // message: record it per send, so a lost connection can be told apart before and after DATA.
  transporter.use('stream', (mail, done) => {
    const watch = (mail.data as Record<string, unknown>)[STREAM_WATCH] as StreamWatch | undefined;
    if (watch) {
      const node = mail.message;
      const createReadStream = node.createReadStream.bind(node);
      node.createReadStream = (options) => (watch.stream = createReadStream(options));
    }
    done();
  });

  return {
    async send(message, messageId) {
      const watch: StreamWatch = { stream: null };
      let info: SMTPPoolSentMessageInfo;
      try {
        info = await transporter.sendMail({ envelope: message.envelope, raw: message.raw, [STREAM_WATCH]: watch } as SendMailOptions);
      } catch (thrown) {
        // readableDidRead: the pool piped the message into the DATA stream (after the 354 reply).
        const failure = classifySmtpError(thrown, { messageStarted: watch.stream?.readableDidRead === true });
        log('debug', { messageId, kind: failure.kind, responseCode: failure.responseCode, command: failure.command }, 'smtp send failed');
        throw new MailError(`sending ${messageId} via ${endpoint} failed: ${redact(failure.message, message.envelope.to)}`, { ...failure, cause: thrown });
      }
      if (info.accepted.length !== 1 || info.rejected.length > 0) {
        // nodemailer already fails a send whose only recipient is refused; a guard, not a path.
        throw new MailError(`sending ${messageId} via ${endpoint} failed: the server did not accept the recipient`, {
          kind: 'permanent',
          responseCode: info.rejectedErrors?.[0]?.responseCode ?? null,
          command: 'RCPT TO',
        });
      }
      log('debug', { messageId, response: info.response }, 'smtp send accepted');
      return info.response;
    },
    close: () => transporter.close(),
  };
}

/** `smtp://host:port` without credentials or options, for logs and summaries. */
export function describeSmtpUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new MailError('the SMTP URL is not a URL (expected smtp://user:pass@host:587 or smtps://…:465)', { kind: 'permanent' });
  }
  const secure = parsed.protocol === 'smtps:';
  if (!secure && parsed.protocol !== 'smtp:') {
    throw new MailError(`the SMTP URL must start with smtp:// or smtps://, not ${parsed.protocol}//`, { kind: 'permanent' });
  }
  // nodemailer's defaults: 465 for implicit TLS, 587 (submission) otherwise.
  return `${parsed.protocol}//${parsed.hostname}:${parsed.port || (secure ? 465 : 587)}`;
}

/** Servers quote the recipient in their replies ("550 5.1.1 <a@b>: unknown"); errors end up in logs. */
function redact(text: string, recipient: string): string {
  return text.replace(new RegExp(recipient.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi'), '<recipient>');
}
