import { randomBytes } from 'node:crypto';
import type { Config } from './config.js';
import { digestDateFor } from './dates.js';
import type { Mailer } from './domain.js';
import { createLinks, type Links } from './links.js';
import type { Logger } from './log.js';
import { createMailer } from './mail/create-mailer.js';
import { domainOf, makeMessageId } from './mail/message-id.js';
import { compileDigestRenderer, type DigestRenderer } from './render/render-digest.js';
import { openStore, type Store } from './store/open-store.js';
import { ingestFeeds, type IngestSummary } from './jobs/ingest-feeds.js';
import { runDigest, type RunSummary } from './jobs/run-digest.js';
import type { OnRunProgress } from './jobs/run-progress.js';
import { createTokenSigner, type TokenSigner } from './tokens.js';
import { previewDigest } from './jobs/preview-digest.js';
import type { FastifyInstance } from 'fastify';

export interface App {
  readonly config: Config;
  readonly store: Store;
  readonly log: Logger;
  readonly mailer: Mailer;
  readonly tokens: TokenSigner;
  readonly links: Links;
  now(): Date;
  /** Today's digest date in the configured time zone. */
  today(): string;
  /** The digest template, compiled (and validated) once, on first use. */
  renderer(): Promise<DigestRenderer>;
  messageIdFor(subscriberId: number, digestDate: string): string;
  runDigest(options: { digestDate?: string; dryRun?: boolean; ingest?: boolean; signal?: AbortSignal; onProgress?: OnRunProgress }): Promise<RunSummary>;
  ingest(): Promise<IngestSummary>;
  /** The web side (subscribe, confirm, preferences, unsubscribe), ready to `listen`. */
  webServer(): Promise<FastifyInstance>;
  close(): Promise<void>;
}

export interface AppOverrides {
  now?: () => Date;
  mailer?: Mailer;
}

/** The composition root: opens the store and wires every stage from the validated config. */
export function createApp(config: Config, log: Logger, overrides: AppOverrides = {}): App {
  const now = overrides.now ?? (() => new Date());
  const store = openStore(config.databasePath);
  const secret = config.secret ?? generatedSecret(store, log);
  const tokens = createTokenSigner(secret);
  const links = createLinks(config.publicUrl, tokens);
  const mailer =
    overrides.mailer ??
    createMailer(
      config.mail.smtpUrl
        ? {
            kind: 'smtp',
            url: config.mail.smtpUrl,
            from: config.mail.from,
            maxConnections: config.mail.maxConnections,
            maxMessages: config.mail.maxMessages,
            ...(config.mail.dkim ? { dkim: config.mail.dkim } : {}),
          }
        : { kind: 'outbox', dir: config.mail.outboxDir, from: config.mail.from },
      log.child({ stage: 'mail' }),
    );
  const mailDomain = domainOf(config.mail.from);
  let rendererPromise: Promise<DigestRenderer> | undefined;

  const app: App = {
    config,
    store,
    log,
    mailer,
    tokens,
    links,
    now,
    today: () => digestDateFor(now(), config.schedule.timeZone),
    renderer: () => (rendererPromise ??= compileDigestRenderer({ siteUrl: config.publicUrl })),
    messageIdFor: (subscriberId, digestDate) => makeMessageId({ subscriberId, digestDate, secret, domain: mailDomain }),
    async runDigest({ digestDate, dryRun = false, ingest = true, signal, onProgress }) {
      // Compiles while feeds are read and digests planned; a broken template still fails the run before any mail goes out.
      const renderer = app.renderer();
      renderer.catch(() => {});
      return runDigest(
        {
          store,
          mailer,
          renderer,
          links,
          messageIdFor: app.messageIdFor,
          listId: `papermail daily digest <digest.${mailDomain}>`,
          log,
          now,
        },
        {
          digestDate: digestDate ?? app.today(),
          maxAgeDays: config.maxAgeDays,
          dryRun,
          // Four messages per connection: one on the wire, the next ones ready behind it, so no connection waits
          // for the main thread, and claims and sent marks commit in batches of that size.
          concurrency: config.mail.smtpUrl ? config.mail.maxConnections * 4 : 1,
          resendUncertain: config.delivery.resendUncertain,
          retry: config.delivery.retry,
          maxConsecutiveFailures: config.delivery.maxConsecutiveFailures,
          rate: { perSecond: config.delivery.ratePerSecond, perDay: config.delivery.maxPerDay },
          signal,
          ...(onProgress ? { onProgress } : {}),
          ingest: ingest ? { feeds: config.feeds, fetch: config.fetch } : null,
        },
      );
    },
    ingest: () => ingestFeeds({ store, log, now }, { feeds: config.feeds, fetch: config.fetch }),
    async webServer() {
      // Loaded on first use: a daily `papermail run` never pays for fastify and its plugins (~17 MiB).
      const [{ createWebServer }, { compileConfirmationRenderer }] = await Promise.all([
        import('./web/create-web-server.js'),
        import('./render/render-confirmation.js'),
      ]);
      return createWebServer({
        store,
        tokens,
        links,
        mailer,
        confirmationRenderer: await compileConfirmationRenderer({ siteUrl: config.publicUrl }),
        previewPapers: (subscriber) => previewDigest({ store, now }, subscriber, config.maxAgeDays),
        config: {
          publicUrl: config.publicUrl,
          digestSize: config.digestSize,
          confirmTtlMs: config.web.confirmTtlMs,
          rateLimit: config.web.rateLimit,
          mailFrom: config.mail.from,
          trustProxy: config.web.trustProxy,
        },
        log,
        now,
      });
    },
    async close() {
      await mailer.close();
      store.close();
    },
  };
  return app;
}

/** Without SECRET, tokens are signed with a random secret kept in the database (stable across restarts). */
function generatedSecret(store: Store, log: Logger): string {
  const existing = store.getSetting('generated-secret');
  if (existing) return existing;
  log.warn('SECRET is not set: generated one and stored it in the database; set SECRET to keep links valid if the database is replaced');
  return store.settingOrInsert('generated-secret', randomBytes(32).toString('hex'));
}
