import { randomBytes } from 'node:crypto';
import type { OutgoingMessage, SentMessage } from '../domain.js';
import { singleRecipient } from '../mail/single-recipient.js';
import type { ConfirmationEmail } from '../render/render-confirmation.js';
import type { WebDeps } from './context.js';
import type { SubscriptionOutcome } from './request-subscription.js';

/**
 * Sends the one email a subscription request earns: the confirmation link (valid `confirmTtlMs`),
 * or, for an address already subscribed, its preferences and unsubscribe links.
 * Rejects with the mailer's `MailError` when the server refuses it.
 */
export async function sendAccountEmail(
  deps: Pick<WebDeps, 'links' | 'mailer' | 'confirmationRenderer' | 'now'> & { config: Pick<WebDeps['config'], 'confirmTtlMs'> },
  outcome: SubscriptionOutcome,
  messageIdDomain: string,
): Promise<SentMessage> {
  const { subscriber } = outcome;
  const now = deps.now();
  const email: ConfirmationEmail =
    outcome.send === 'confirm'
      ? {
          kind: 'confirm',
          confirmUrl: deps.links.confirmUrl(subscriber.id, new Date(now.getTime() + deps.config.confirmTtlMs)),
          validForMs: deps.config.confirmTtlMs,
        }
      : { kind: 'manage', manageUrl: deps.links.manageUrl(subscriber.id), unsubscribeUrl: deps.links.unsubscribeUrl(subscriber.id) };
  const rendered = deps.confirmationRenderer.render(email);
  return deps.mailer.send(composeAccountMessage({ to: subscriber.email, ...rendered, date: now, messageIdDomain }));
}

/**
 * A one-off message to one address (no List-* headers: it is not list mail). The address was
 * checked when it was typed; `singleRecipient` refuses line breaks and lists again here, right
 * before the headers are written (header injection).
 */
export function composeAccountMessage(input: {
  to: string;
  subject: string;
  html: string;
  text: string;
  date: Date;
  messageIdDomain: string;
}): OutgoingMessage {
  singleRecipient(input.to);
  return {
    to: input.to,
    subject: input.subject.replace(/[\r\n]+/g, ' '),
    html: input.html,
    text: input.text,
    // Random, never reused: each request is its own message, unlike a digest's retry-stable id.
    messageId: `<account.${randomBytes(12).toString('hex')}@${input.messageIdDomain}>`,
    date: input.date,
    headers: {
      // RFC 3834 §5: machine-generated, so vacation auto-replies stay quiet.
      'Auto-Submitted': 'auto-generated',
      'X-Auto-Response-Suppress': 'OOF, AutoReply',
    },
  };
}
