import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { Subscriber } from '../../../src/domain.js';
import { previewDigest } from '../../../src/jobs/preview-digest.js';
import { createLinks, type Links } from '../../../src/links.js';
import { silentLogger } from '../../../src/log.js';
import { createMailer } from '../../../src/mail/create-mailer.js';
import { compileConfirmationRenderer, type ConfirmationRenderer } from '../../../src/render/render-confirmation.js';
import { createTokenSigner, type TokenSigner } from '../../../src/tokens.js';
import { createWebServer, type WebConfig } from '../../../src/web/create-web-server.js';
import { startSmtpSink, type SmtpSink } from '../../support/smtp-sink.js';
import { tempStore } from '../../support/temp-store.js';

export const SECRET = 'a-test-secret-that-is-long-enough-0123456789';
export const PUBLIC_URL = 'https://papers.example.org';
export const DAY_MS = 24 * 60 * 60 * 1000;

/** A test clock: starts at a fixed instant, moves only when told. */
export interface TestClock {
  now(): Date;
  advance(ms: number): void;
}

export function testClock(start = new Date('2026-12-03T09:00:00Z')): TestClock {
  let current = start.getTime();
  return { now: () => new Date(current), advance: (ms) => void (current += ms) };
}

/** A page fetched with its cookie and the CSRF token of its form, ready to post back. */
export interface FormSession {
  cookie: string;
  csrf: string;
}

export interface WebHarness {
  server: FastifyInstance;
  store: ReturnType<typeof tempStore>;
  sink: SmtpSink;
  tokens: TokenSigner;
  links: Links;
  clock: TestClock;
  config: WebConfig;
  /** GET a page and keep its CSRF cookie and token. */
  openForm(url: string, cookie?: string): Promise<FormSession & { response: LightMyRequestResponse }>;
  /** POST a form-encoded body (repeat a field by giving an array). */
  post(url: string, fields: Record<string, string | readonly string[]>, options?: { cookie?: string; ip?: string }): Promise<LightMyRequestResponse>;
  /** Open a page's form and post it with its CSRF token, as a browser would. */
  submit(url: string, fields: Record<string, string | readonly string[]>, options?: { formUrl?: string; ip?: string }): Promise<LightMyRequestResponse>;
  /** The messages the SMTP sink accepted so far, parsed. */
  mails(): Promise<ParsedMail[]>;
  /** The path (with the token) of a URL on the public site. */
  pathOf(url: string): string;
  close(): Promise<void>;
}

/**
 * The web side on real parts: a SQLite file in a temp dir, the real SMTP mailer sending to a real
 * SMTP sink on 127.0.0.1, the real confirmation template, real tokens; a clock the test moves.
 */
export async function startWebHarness(overrides: Partial<WebConfig> = {}): Promise<WebHarness> {
  const store = tempStore();
  const sink = await startSmtpSink();
  const clock = testClock();
  const tokens = createTokenSigner(SECRET);
  const config: WebConfig = {
    publicUrl: PUBLIC_URL,
    digestSize: 10,
    confirmTtlMs: 3 * DAY_MS,
    rateLimit: { perIpPerHour: 50, perAddressPerHour: 5 },
    mailFrom: 'papermail <digest@papers.example.org>',
    ...overrides,
  };
  const links = createLinks(config.publicUrl, tokens);
  const mailer = createMailer({ kind: 'smtp', url: sink.url, from: config.mailFrom, maxConnections: 1, maxMessages: 100 }, silentLogger());
  const confirmationRenderer: ConfirmationRenderer = await compileConfirmationRenderer({ siteUrl: config.publicUrl });
  const server = createWebServer({
    store,
    tokens,
    links,
    mailer,
    confirmationRenderer,
    previewPapers: (subscriber: Subscriber) => previewDigest({ store, now: clock.now }, subscriber, 7),
    config,
    log: silentLogger(),
    now: clock.now,
  });
  await server.ready();

  const form = (fields: Record<string, string | readonly string[]>) => {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(fields)) {
      for (const item of typeof value === 'string' ? [value] : value) params.append(name, item);
    }
    return params.toString();
  };

  const harness: WebHarness = {
    server,
    store,
    sink,
    tokens,
    links,
    clock,
    config,
    async openForm(url, cookie) {
      const response = await server.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} });
      const setCookie = response.cookies.find((c) => c.name === 'papermail_csrf');
      const csrf = /name="_csrf" value="([^"]+)"/.exec(response.body)?.[1] ?? '';
      return { response, cookie: setCookie ? `papermail_csrf=${setCookie.value}` : (cookie ?? ''), csrf };
    },
    post(url, fields, options = {}) {
      return server.inject({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...(options.cookie ? { cookie: options.cookie } : {}) },
        payload: form(fields),
        ...(options.ip ? { remoteAddress: options.ip } : {}),
      });
    },
    async submit(url, fields, options = {}) {
      const session = await harness.openForm(options.formUrl ?? url);
      return harness.post(url, { ...fields, _csrf: session.csrf }, { cookie: session.cookie, ...(options.ip ? { ip: options.ip } : {}) });
    },
    async mails() {
      return Promise.all(sink.messages.map((message) => simpleParser(message.raw)));
    },
    pathOf(url) {
      const parsed = new URL(url);
      return parsed.pathname + parsed.search;
    },
    async close() {
      await server.close();
      await mailer.close();
      await sink.close();
      store.cleanup();
    },
  };
  return harness;
}
