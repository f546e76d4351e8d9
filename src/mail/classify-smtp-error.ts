import { coerceError } from '../errors.js';
import { MailError, type SmtpFailureKind } from './errors.js';

export type { SmtpFailureKind } from './errors.js';

export interface SmtpFailure {
  kind: SmtpFailureKind;
  responseCode: number | null;
  command: string | null;
  message: string;
}

export interface SmtpFailureContext {
  /**
   * Whether any byte of the message had been handed to the connection (the server had answered
   * DATA with 354). nodemailer reports a connection lost mid-message with `command: 'CONN'`, the
   * same as one lost before MAIL FROM, so only the sender can tell the two apart.
   */
  messageStarted?: boolean;
}

/** nodemailer codes for a message refused as such, not for the connection or the configuration. */
const MESSAGE_CODES = new Set(['EENVELOPE', 'EMESSAGE', 'EMAXRECIPIENTS']);

/**
 * Decides what a nodemailer failure means for the message (shapes from nodemailer 10's
 * smtp-connection: `code`, `responseCode`, `command` of 'CONN', 'MAIL FROM', 'RCPT TO', 'DATA', 'API', …).
 *
 * 1. A reply code is the server's decision (RFC 5321 §4.2.1): 4yz is transient, even at the end of
 *    DATA (the server refused the message, so resending cannot duplicate it); 5yz to the envelope
 *    or to the message is permanent, except 503 (bad sequence: a session problem, not the message).
 *    A 5yz elsewhere (greeting, AUTH) is about the server or our account, not this message: transient.
 * 2. Without a reply, the failure is uncertain once the message had started to go out (the server
 *    may have received the final dot and queued it); before that it is transient, except a message
 *    nodemailer refused to send at all (no recipient, invalid address), which is permanent.
 */
export function classifySmtpError(error: unknown, context: SmtpFailureContext = {}): SmtpFailure {
  if (error instanceof MailError) {
    return { kind: error.kind, responseCode: error.responseCode, command: error.command, message: error.message };
  }
  const fields = (typeof error === 'object' && error !== null ? error : {}) as { code?: unknown; responseCode?: unknown; command?: unknown };
  const code = typeof fields.code === 'string' ? fields.code : null;
  const command = typeof fields.command === 'string' && fields.command !== '' ? fields.command : null;
  const responseCode =
    typeof fields.responseCode === 'number' && Number.isInteger(fields.responseCode) && fields.responseCode >= 200 && fields.responseCode < 600
      ? fields.responseCode
      : null;
  const message = coerceError(error).message;
  const failure = (kind: SmtpFailureKind): SmtpFailure => ({ kind, responseCode, command, message });

  if (responseCode !== null && responseCode >= 400) {
    if (responseCode >= 500 && responseCode !== 503 && code !== null && MESSAGE_CODES.has(code)) return failure('permanent');
    return failure('transient');
  }
  if (context.messageStarted || command === 'DATA') return failure('uncertain');
  if (code !== null && MESSAGE_CODES.has(code)) return failure('permanent');
  return failure('transient');
}
