import type { FastifyReply } from 'fastify';
import type { Mailer, RankedPaper, Subscriber, Topic } from '../domain.js';
import type { Links } from '../links.js';
import type { Logger } from '../log.js';
import type { ConfirmationRenderer } from '../render/render-confirmation.js';
import type { Store } from '../store/open-store.js';
import type { TokenSigner } from '../tokens.js';
import type { Site } from './pages/layout.js';

/** Settings of the web side, read once from the config by whoever wires it. */
export interface WebConfig {
  /** PUBLIC_URL: where people reach the site. Its path is the site's prefix; `https:` turns on Secure cookies and HSTS. */
  publicUrl: string;
  /** Papers per digest for a new subscriber who leaves the field empty (DIGEST_SIZE). */
  digestSize: number;
  /** How long a confirmation link works. */
  confirmTtlMs: number;
  /** POST /subscribe requests accepted per hour, per client IP and per email address. */
  rateLimit: { perIpPerHour: number; perAddressPerHour: number };
  /** MAIL_FROM: its domain ends the Message-IDs of confirmation emails. */
  mailFrom: string;
  /** Behind a reverse proxy: which proxies to believe about the client's IP (fastify's `trustProxy`). Default: none. */
  trustProxy?: boolean | string | string[];
  productName?: string;
}

/** What the web side needs, and nothing more, so a test can hand it small real parts. */
export interface WebDeps {
  store: Pick<
    Store,
    | 'addSubscriber'
    | 'findSubscriberByEmail'
    | 'getSubscriber'
    | 'setSubscriberStatus'
    | 'updateSubscriberInterests'
    | 'transaction'
    | 'ping'
    | 'getPaper'
    | 'recordFeedback'
    | 'removeFeedback'
    | 'feedbackOf'
  >;
  tokens: TokenSigner;
  links: Links;
  mailer: Mailer;
  confirmationRenderer: ConfirmationRenderer;
  /** The papers today's digest would hold for this subscriber with its saved settings (sends and records nothing). */
  previewPapers(subscriber: Subscriber): RankedPaper[];
  config: WebConfig;
  log: Logger;
  now: () => Date;
}

/** What every route module gets. */
export interface WebContext {
  deps: WebDeps;
  site: Site;
  taxonomy: readonly Topic[];
  /** The log for route code (`stage: web`); log subscriber ids, never addresses. */
  log: Logger;
}

/**
 * Sends a whole HTML page. `no-store`: pages carry CSRF tokens and, behind token links, a subscriber's
 * address and settings, none of which belongs in a shared cache.
 */
export function sendPage(reply: FastifyReply, statusCode: number, page: string): FastifyReply {
  return reply.code(statusCode).header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-store').send(page);
}
