import type { MessageBody, OutgoingMessage } from '../domain.js';
import { MailError } from './errors.js';
import { singleRecipient } from './single-recipient.js';

export interface DigestMessageInput {
  to: string;
  subject: string;
  html: MessageBody;
  text: MessageBody;
  /** `<...@domain>`, stable per subscriber and digest date (see `makeMessageId`). */
  messageId: string;
  date: Date;
  /** The List-Id value, `papermail daily digest <digest.example.org>`, or the bare id `digest.example.org`. */
  listId: string;
  /** The subscriber's one-click unsubscribe URL. */
  unsubscribeUrl: string;
  /** The subscriber's preferences page, announced as List-Help. */
  manageUrl?: string;
}

const MESSAGE_ID = /^<[^<>\s@]+@[^<>\s@]+>$/;
/** RFC 2919 §2: a list-id is a dot-atom with at least one dot, in angle brackets after an optional phrase. */
const LIST_ID = /^(?:[^<>\r\n]*\s)?<[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)+>$/;

/**
 * A digest with every header decided: one `To`, a stable Message-ID, and the headers that let
 * mailbox providers file it as a list mail and unsubscribe in one click. Refuses (permanent
 * `MailError`) anything that could inject a header or address a second recipient.
 */
export function composeDigestMessage(input: DigestMessageInput): OutgoingMessage {
  singleRecipient(input.to);
  if (!MESSAGE_ID.test(input.messageId)) throw invalid(`Message-ID ${JSON.stringify(input.messageId)} is not <local@domain>`);
  if (Number.isNaN(input.date.getTime())) throw invalid('the date is not a valid date');
  const listId = input.listId.trim();
  const listIdValue = LIST_ID.test(listId) ? listId : LIST_ID.test(`<${listId}>`) ? `<${listId}>` : null;
  if (!listIdValue) throw invalid(`List-Id ${JSON.stringify(input.listId)} is not a list id like "name <digest.example.org>"`);
  const unsubscribe = absoluteHttpUrl(input.unsubscribeUrl);
  if (!unsubscribe) throw invalid('the unsubscribe URL is not an absolute http(s) URL');

  const headers: Record<string, string> = {
    'List-Id': listIdValue,
    'List-Unsubscribe': `<${unsubscribe.href}>`,
  };
  // RFC 8058 §3: one-click needs an HTTPS URI in List-Unsubscribe (and a DKIM signature covering
  // both headers, see the SMTP mailer). A plain-http site (a local demo) gets the link, not the promise.
  if (unsubscribe.protocol === 'https:') headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
  const manage = input.manageUrl === undefined ? null : absoluteHttpUrl(input.manageUrl);
  if (input.manageUrl !== undefined && !manage) throw invalid('the manage-preferences URL is not an absolute http(s) URL');
  // RFC 2369 §3.1: List-Help points to how to manage one's subscription.
  if (manage) headers['List-Help'] = `<${manage.href}>`;
  // RFC 3834 §5: machine-generated, so auto-responders (vacation replies) must stay quiet.
  headers['Auto-Submitted'] = 'auto-generated';
  // Exchange/Outlook's own switch for out-of-office and auto-replies.
  headers['X-Auto-Response-Suppress'] = 'OOF, AutoReply';

  return {
    to: input.to,
    subject: input.subject.replace(/[\r\n]+/g, ' '),
    html: input.html,
    text: input.text,
    messageId: input.messageId,
    date: input.date,
    headers,
  };
}

function absoluteHttpUrl(value: string): URL | null {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url : null;
  } catch {
    return null;
  }
}

function invalid(problem: string): MailError {
  return new MailError(`cannot compose the digest: ${problem}`, { kind: 'permanent', command: 'API' });
}
