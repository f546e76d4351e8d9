import addressparser from 'nodemailer/lib/addressparser';
import { MailError } from './errors.js';

const MAILBOX = /^[^\s@<>]+@[^\s@<>]+$/;

/**
 * The one address a digest goes to, or a permanent `MailError`: a `To` with a line break (header
 * injection) or more than one address (a digest is personal: its unsubscribe link is the reader's)
 * never reaches SMTP. The message does not repeat the address: errors end up in logs.
 */
export function singleRecipient(to: string): string {
  if (/[\r\n]/.test(to)) throw new MailError('recipient address contains a line break', { kind: 'permanent', command: 'API' });
  const entries = addressparser(to);
  const mailbox = entries.length === 1 && entries[0]!.group === undefined ? entries[0]!.address : '';
  if (!MAILBOX.test(mailbox)) throw new MailError('recipient is not a single email address', { kind: 'permanent', command: 'API' });
  return mailbox;
}
