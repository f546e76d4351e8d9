import type { Mailer } from '../domain.js';
import type { Logger } from '../log.js';
import { createOutboxMailer } from './outbox-mailer.js';
import { createSmtpMailer } from './smtp-mailer.js';

export type MailTransportConfig =
  | {
      kind: 'smtp';
      /** `smtp://` or `smtps://`, credentials in the URL. */
      url: string;
      from: string;
      maxConnections: number;
      /** Messages per connection before the pool replaces it. */
      maxMessages: number;
      dkim?: { domainName: string; keySelector: string; privateKey: string };
    }
  | { kind: 'outbox'; dir: string; from: string };

/** The mailer for the configured transport: pooled SMTP, or `.eml` files in an outbox directory. */
export function createMailer(config: MailTransportConfig, log: Logger): Mailer {
  return config.kind === 'smtp' ? createSmtpMailer(config, log) : createOutboxMailer(config, log);
}
