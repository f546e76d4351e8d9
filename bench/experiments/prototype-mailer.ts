/**
 * Prototype mailers for `npm run bench -- --experiments`: what papermail's run would do with a
 * different way of building and handing over MIME, everything else (plan, ledger, render,
 * compose) being papermail's own code. They measure proposals; they are not papermail's mailer
 * (no error classification, no "did DATA start" watch), so they stay in bench/.
 */
import { randomBytes } from 'node:crypto';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer';
import { encodeWords, foldLines } from 'nodemailer/lib/mime-funcs';
import { encode as qpEncode, wrap as qpWrap } from 'nodemailer/lib/qp';
import type { Mailer, OutgoingMessage } from '../../src/domain.js';
import { toMailOptions } from '../../src/mail/mail-options.js';
import { ENVELOPE_FROM } from '../support/settings.js';

type Build = (message: OutgoingMessage, from: string) => Promise<Buffer> | Buffer;

export const PROTOTYPES = {
  /** Today's nodemailer options (quoted-printable), built into one Buffer first and sent as `raw`. */
  'raw-buffer': (message, from) => composed(toMailOptions(message, from)),
  /** As raw-buffer, with base64 bodies (native encoding; a third bigger on the wire). */
  'raw-base64': (message, from) => composed({ ...toMailOptions(message, from), textEncoding: 'base64' }),
  /**
   * The message written by hand as one string, no MailComposer, no streams: headers (the subject
   * RFC 2047-encoded with nodemailer's mime-funcs), multipart/alternative, quoted-printable bodies
   * with the HTML broken into short lines at tag boundaries (so QP needs no soft breaks).
   */
  'hand-built': (message, from) => handBuilt(message, from, 'quoted-printable'),
  /**
   * As hand-built, with base64 bodies: native encoding costs about what concatenating per-paper
   * fragments encoded once per run would (the encoding work leaves the per-message path).
   */
  'hand-built-base64': (message, from) => handBuilt(message, from, 'base64'),
} as const satisfies Record<string, Build>;

export type PrototypeName = keyof typeof PROTOTYPES;

export function isPrototypeName(name: string): name is PrototypeName {
  return Object.hasOwn(PROTOTYPES, name);
}

export interface PrototypeMailerOptions {
  port: number;
  from: string;
  connections: number;
  maxMessages: number;
}

export function createPrototypeMailer(name: PrototypeName, options: PrototypeMailerOptions): Mailer {
  const transporter = nodemailer.createTransport({
    host: '127.0.0.1',
    port: options.port,
    secure: false,
    ignoreTLS: true,
    pool: true,
    maxConnections: options.connections,
    maxMessages: options.maxMessages,
    maxRequeues: 0,
  });
  transporter.on('error', () => {});
  const build: Build = PROTOTYPES[name];
  return {
    async send(message: OutgoingMessage) {
      const raw = await build(message, options.from);
      const info = await transporter.sendMail({ envelope: { from: ENVELOPE_FROM, to: [message.to] }, raw });
      return { messageId: message.messageId, response: info.response };
    },
    describe: () => `prototype ${name} smtp://127.0.0.1:${options.port}`,
    close: async () => transporter.close(),
  };
}

function composed(options: SendMailOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    new MailComposer(options).compile().build((error, raw) => (error ? reject(error) : resolve(raw)));
  });
}

function handBuilt(message: OutgoingMessage, from: string, encoding: 'quoted-printable' | 'base64'): Buffer {
  const boundary = `--_papermail_${randomBytes(12).toString('hex')}`;
  const headers = [
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
    `From: ${from}`,
    `To: ${message.to}`,
    foldLines(`Subject: ${encodeWords(message.subject, 'Q', 52)}`, 76, true),
    `Message-ID: ${message.messageId}`,
    `Date: ${message.date.toUTCString().replace(/GMT/, '+0000')}`,
    ...Object.entries(message.headers).map(([key, value]) => `${key}: ${value}`),
    'MIME-Version: 1.0',
  ];
  const part = (type: string, body: string) => `--${boundary}\r\nContent-Type: ${type}; charset=utf-8\r\nContent-Transfer-Encoding: ${encoding}\r\n\r\n${encodeBody(body, encoding)}\r\n`;
  const html = message.html.replace(/></g, '>\n<');
  return Buffer.from(`${headers.join('\r\n')}\r\n\r\n${part('text/plain', message.text)}${part('text/html', html)}--${boundary}--\r\n`);
}

function encodeBody(body: string, encoding: 'quoted-printable' | 'base64'): string {
  const crlf = body.replace(/\r?\n/g, '\r\n');
  if (encoding === 'quoted-printable') return qpWrap(qpEncode(crlf), 76);
  return Buffer.from(crlf).toString('base64').replace(/.{76}(?=.)/g, '$&\r\n');
}
