import { PapermailError } from '../errors.js';

/**
 * What a failed send means for the message:
 * - `transient`: not delivered, try again later (4xx reply, connection lost before the message was sent);
 * - `permanent`: not delivered, and the same message would fail again (5xx reply to the envelope or the message);
 * - `uncertain`: the connection broke while or after the message was sent, before the server's final
 *   reply: it may have been delivered, so resending risks a duplicate.
 */
export type SmtpFailureKind = 'transient' | 'permanent' | 'uncertain';

/** A message the mailer could not hand over, classified for the caller's retry decision. */
export class MailError extends PapermailError {
  readonly kind: SmtpFailureKind;
  /** The SMTP reply code that refused the message, when the server gave one. */
  readonly responseCode: number | null;
  /** The SMTP command the failure belongs to (`RCPT TO`, `DATA`, …), as nodemailer reports it. */
  readonly command: string | null;

  constructor(
    message: string,
    details: { kind: SmtpFailureKind; responseCode?: number | null; command?: string | null; cause?: unknown },
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.kind = details.kind;
    this.responseCode = details.responseCode ?? null;
    this.command = details.command ?? null;
  }
}
