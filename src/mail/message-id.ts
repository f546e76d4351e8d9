import { createHmac } from 'node:crypto';
import addressparser from 'nodemailer/lib/addressparser';
import { MailError } from './errors.js';

const DIGEST_DATE = /^\d{4}-\d{2}-\d{2}$/;
const DOMAIN = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$/;

/**
 * `<digest.2026-12-03.<hmac-hex-16>@domain>`: the same for every attempt at one subscriber's digest
 * of one date, so a resend after an uncertain failure lets receivers drop the duplicate; keyed with
 * the secret, so the id reveals no subscriber id and cannot be guessed for another subscriber.
 */
export function makeMessageId(input: { subscriberId: number; digestDate: string; secret: string; domain: string }): string {
  const { subscriberId, digestDate, secret } = input;
  const domain = input.domain.trim().toLowerCase();
  const problem =
    !Number.isSafeInteger(subscriberId) || subscriberId < 0
      ? `subscriber id ${subscriberId} is not a non-negative integer`
      : !DIGEST_DATE.test(digestDate)
        ? `digest date ${JSON.stringify(digestDate)} is not YYYY-MM-DD`
        : !secret
          ? 'the secret is empty'
          : !DOMAIN.test(domain)
            ? `${JSON.stringify(input.domain)} is not a domain name`
            : null;
  if (problem) throw new MailError(`cannot make a Message-ID: ${problem}`, { kind: 'permanent' });
  // The secret also signs links: the "message-id" label keeps this MAC from ever equalling a token's.
  const mac = createHmac('sha256', secret).update(`message-id:${subscriberId}:${digestDate}`).digest('hex').slice(0, 16);
  return `<digest.${digestDate}.${mac}@${domain}>`;
}

/** The domain of an address or mailbox: `papermail <digest@example.org>` → `example.org`. */
export function domainOf(address: string): string {
  const mailbox = addressparser(address, { flatten: true })[0]?.address ?? '';
  const at = mailbox.lastIndexOf('@');
  const domain = at > 0 ? mailbox.slice(at + 1).toLowerCase() : '';
  if (!DOMAIN.test(domain)) {
    throw new MailError(`${JSON.stringify(address)} has no domain (expected an address like "papermail <digest@example.org>")`, { kind: 'permanent' });
  }
  return domain;
}
