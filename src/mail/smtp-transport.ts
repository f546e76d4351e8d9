import { PassThrough, type Readable } from 'node:stream';
import DKIM from 'nodemailer/lib/dkim';
import { parseConnectionUrl } from 'nodemailer/lib/shared';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
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
  /** Idle connections close now; one in the middle of a message finishes it first; queued messages fail, unsent. */
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

interface Job {
  message: BuiltMessage;
  messageId: string;
  resolve: (response: string) => void;
  reject: (error: MailError) => void;
}

/** One connection slot: a connection that sends one message at a time, opened on demand. */
interface Lane {
  connection: SMTPConnection | null;
  /** Messages sent on the current connection. */
  sent: number;
  busy: boolean;
}

/**
 * A pool of nodemailer `SMTPConnection`s, fed finished messages (`raw`): up to `maxConnections`
 * lanes, each sending one message at a time over its own connection and opening a new one after
 * `maxMessages`, after a broken connection, or when the server closed an idle one. It takes a
 * message's bytes as they are: no composing, no plugins, which halves the CPU per message of
 * nodemailer's pooled transport (~0.25 vs ~0.5 ms for a 40 KB digest, measured over loopback).
 * It never resends: a message that fails is reported, classified, and the delivery ledger decides.
 * Runs inside the SMTP worker thread (`smtp-worker.ts`).
 */
export function createSmtpTransport(config: SmtpTransportConfig, log: TransportLog): SmtpTransport {
  const endpoint = describeSmtpUrl(config.url);
  // nodemailer's own reading of the URL (host, port, TLS, credentials, ?tls.* options), as its transports do.
  const { auth, ...connectionOptions } = parseConnectionUrl(config.url);
  const dkim = config.dkim ? new DKIM({ ...config.dkim, headerFieldNames: DKIM_SIGNED_HEADERS }) : null;
  const lanes: Lane[] = [];
  const queue: Job[] = [];
  let closing = false;

  function pump(): void {
    while (queue.length > 0 && !closing) {
      let lane = lanes.find((candidate) => !candidate.busy);
      if (!lane && lanes.length < config.maxConnections) lanes.push((lane = { connection: null, sent: 0, busy: false }));
      if (!lane) return;
      void run(lane, queue.shift()!);
    }
  }

  async function run(lane: Lane, job: Job): Promise<void> {
    lane.busy = true;
    let input: Readable | null = null;
    try {
      // A connection that sent messages before may have been dropped by the server since: a failure
      // then, before a byte of this message went out, is transient like any other.
      const connection = lane.connection ?? (lane.connection = await connect(lane));
      input = dkim ? dkim.sign(job.message.raw) : bufferStream(job.message.raw);
      const response = await deliver(connection, job.message, input);
      lane.sent++;
      log('debug', { messageId: job.messageId, response }, 'smtp send accepted');
      job.resolve(response);
    } catch (thrown) {
      // readableDidRead: the connection piped the message into the DATA stream (after the 354 reply).
      const failure = classifySmtpError(thrown, { messageStarted: input?.readableDidRead === true });
      log('debug', { messageId: job.messageId, kind: failure.kind, responseCode: failure.responseCode, command: failure.command }, 'smtp send failed');
      await recover(lane, thrown);
      job.reject(new MailError(`sending ${job.messageId} via ${endpoint} failed: ${redact(failure.message, job.message.envelope.to)}`, { ...failure, cause: thrown }));
    } finally {
      lane.busy = false;
      // After SMTP_MAX_MESSAGES on one connection, the next message goes over a new one.
      if (closing || lane.sent >= config.maxMessages) retire(lane);
      pump();
    }
  }

  /** Opens a lane's connection: greeting, EHLO, STARTTLS when offered, AUTH when the URL has credentials. */
  function connect(lane: Lane): Promise<SMTPConnection> {
    return new Promise((resolve, reject) => {
      const connection = new SMTPConnection(connectionOptions);
      let ready = false;
      const fail = (error: unknown): void => {
        if (ready) return;
        ready = true;
        connection.close();
        reject(error);
      };
      // Errors of a message in flight reach its send callback; one on an idle connection only ends it.
      connection.on('error', (error: Error) => {
        if (!ready) fail(error);
        else if (!lane.busy) log('debug', { error: error.message }, 'smtp connection closed while idle');
      });
      connection.once('end', () => {
        if (lane.connection === connection) {
          lane.connection = null;
          lane.sent = 0;
        }
        fail(Object.assign(new Error('the server closed the connection before it was ready'), { code: 'ECONNECTION', command: 'CONN' }));
      });
      connection.connect((error) => {
        if (error) return fail(error);
        if (!auth || !connection.allowsAuth) {
          ready = true;
          return resolve(connection);
        }
        connection.login(auth, (loginError) => {
          if (loginError) return fail(loginError);
          ready = true;
          resolve(connection);
        });
      });
    });
  }

  /**
   * After a failed send: a message the server refused (at RCPT TO or the end of DATA) leaves the
   * session usable once reset; anything else ends the connection, and the lane opens a new one.
   */
  async function recover(lane: Lane, thrown: unknown): Promise<void> {
    const connection = lane.connection;
    if (!connection) return;
    const { code, responseCode } = (thrown ?? {}) as { code?: unknown; responseCode?: unknown };
    const refused = (code === 'EENVELOPE' || code === 'EMESSAGE') && responseCode !== 421;
    if (refused && !closing) {
      const reset = await new Promise<boolean>((resolve) => connection.reset((error) => resolve(!error)));
      if (reset) return;
    }
    lane.connection = null;
    lane.sent = 0;
    connection.close();
  }

  /** Says QUIT on an idle lane's connection (politely; the server closes it). */
  function retire(lane: Lane): void {
    if (lane.busy || !lane.connection) return;
    const connection = lane.connection;
    lane.connection = null;
    lane.sent = 0;
    connection.quit();
  }

  return {
    send(message, messageId) {
      if (closing) return Promise.reject(new MailError(`sending ${messageId} via ${endpoint} failed: the mailer is closing; the message was not sent`, { kind: 'transient' }));
      return new Promise<string>((resolve, reject) => {
        queue.push({ message, messageId, resolve, reject });
        pump();
      });
    },
    close() {
      closing = true;
      for (const job of queue.splice(0)) {
        job.reject(new MailError(`sending ${job.messageId} via ${endpoint} failed: the mailer closed before it went out; the message was not sent`, { kind: 'transient' }));
      }
      for (const lane of lanes) retire(lane);
    },
  };
}

function deliver(connection: SMTPConnection, message: BuiltMessage, input: Readable): Promise<string> {
  return new Promise((resolve, reject) => {
    connection.send({ from: message.envelope.from, to: [message.envelope.to] }, input, (error, info) => {
      if (error) return reject(error);
      if (info.accepted.length !== 1 || info.rejected.length > 0) {
        // SMTPConnection already fails a send whose only recipient is refused; a guard, not a path.
        return reject(Object.assign(new Error('the server did not accept the recipient'), { code: 'EENVELOPE', responseCode: info.rejectedErrors?.[0]?.responseCode ?? 550, command: 'RCPT TO' }));
      }
      resolve(info.response);
    });
  });
}

/** The message as a stream, so whether the connection started reading it (`readableDidRead`) can be told. */
function bufferStream(raw: Buffer): Readable {
  const stream = new PassThrough();
  stream.end(raw);
  return stream;
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
