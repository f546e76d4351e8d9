import { existsSync, mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { simpleParser, type ParsedMail } from 'mailparser';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { DAY_MS } from '../../src/dates.js';
import { previewDigest } from '../../src/jobs/preview-digest.js';
import { silentLogger } from '../../src/log.js';
import { compileConfirmationRenderer } from '../../src/render/render-confirmation.js';
import { createWebServer } from '../../src/web/create-web-server.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';
import { tempDir, type TempDir } from '../support/temp-store.js';

/** Debian's chromium; CI installs it with apt. Never a downloaded browser. */
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];
const SAMPLE_FEED = pathToFileURL(fileURLToPath(new URL('../../data/sample/trending-papers.xml', import.meta.url))).href;
const SCREENSHOTS = fileURLToPath(new URL('../../test-output/screenshots/', import.meta.url));
const PERSON = 'grace@example.org';
const CONTROL = 'control@example.org';

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`e2e: skipped, ${CHROMIUM} is missing (install Debian's chromium: apt-get install chromium)`);

describe.skipIf(!hasChromium)('a person in a real browser', () => {
  let dir: TempDir;
  let sink: SmtpSink;
  let http: Server;
  let origin: string;
  let app: App;
  let browser: Browser;
  let page: Page;
  const browserProblems: string[] = [];

  beforeAll(async () => {
    dir = tempDir('papermail-e2e-');
    mkdirSync(SCREENSHOTS, { recursive: true });
    sink = await startSmtpSink();
    // Listen first (port 0), so PUBLIC_URL, and with it every link in every email, is this server.
    http = createServer();
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;

    const config = loadConfig({
      DATABASE_PATH: dir.file('papermail.db'),
      FEEDS: SAMPLE_FEED,
      SMTP_URL: sink.url,
      SMTP_MAX_CONNECTIONS: '1',
      MAIL_FROM: 'papermail <digest@papers.test>',
      PUBLIC_URL: origin,
      SECRET: 'an-e2e-secret-that-is-long-enough-0123456789',
    });
    const log = silentLogger();
    app = createApp(config, log);
    const web = createWebServer({
      store: app.store,
      tokens: app.tokens,
      links: app.links,
      mailer: app.mailer,
      confirmationRenderer: await compileConfirmationRenderer({ siteUrl: config.publicUrl }),
      previewPapers: (subscriber) => previewDigest({ store: app.store, now: app.now }, subscriber, config.maxAgeDays),
      config: {
        publicUrl: config.publicUrl,
        digestSize: config.digestSize,
        confirmTtlMs: 3 * DAY_MS,
        rateLimit: { perIpPerHour: 20, perAddressPerHour: 5 },
        mailFrom: config.mail.from,
      },
      log,
      now: app.now,
    });
    await web.ready();
    http.on('request', web.routing);
    http.on('close', () => void web.close());

    // The service has been running: today's papers are in.
    await app.ingest();
    // Someone else, so the second run is seen to send digests, only not to the person who left.
    app.store.addSubscriber({ email: CONTROL, status: 'active', interests: { topics: ['nlp-llm', 'computer-vision'], keywords: [], excluded: [] }, digestSize: 2 }, app.now());

    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    // A phone-sized window: the pages must work there first.
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 });
    page = await context.newPage();
    // CSP violations, failed loads and missing stylesheets or icons show up here; a clean run has none.
    // (Pages answered with 400 on purpose log "Failed to load resource" too: those are not problems.)
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) browserProblems.push(message.text());
    });
    page.on('requestfailed', (request) => browserProblems.push(`${request.url()} failed`));
    page.on('response', (response) => {
      if (response.request().resourceType() !== 'document' && response.status() >= 400) browserProblems.push(`${response.url()} answered ${response.status()}`);
    });
  });

  afterAll(async () => {
    await browser?.close();
    http?.closeAllConnections();
    await new Promise<void>((resolve) => (http ? http.close(() => resolve()) : resolve()));
    await app?.close();
    await sink?.close();
    dir?.remove();
  });

  const shot = (name: string) => page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: true });
  /** An email's HTML on a blank page of its own (our pages' CSP rightly forbids the inline styles emails need). */
  const shotEmail = async (name: string, html: string) => {
    const mailPage = await page.context().newPage();
    await mailPage.setContent(html);
    await mailPage.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: true });
    await mailPage.close();
  };
  const mailsTo = async (address: string): Promise<ParsedMail[]> =>
    Promise.all(sink.messages.filter((message) => message.envelope.to.includes(address)).map((message) => simpleParser(message.raw)));

  it('subscribes with two topics, confirms, changes topics, gets a digest, unsubscribes from it, and gets nothing the next day', { timeout: 120_000 }, async () => {
    // Home page, and what a mistake looks like.
    await page.goto(`${origin}/`);
    expect(await page.locator('h1').innerText()).toBe('Trending research papers, once a day');
    await shot('01-home');
    // Keyboard: the first Tab shows the skip link, then the logo, then the email field.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('email');
    await page.screenshot({ path: `${SCREENSHOTS}01b-home-keyboard-focus.png` });
    await page.getByLabel('Email address').fill('grace@');
    await page.getByRole('button', { name: 'Subscribe' }).click();
    await page.locator('.error-summary').waitFor();
    await shot('02-home-with-errors');

    // Subscribe with two topics.
    await page.getByLabel('Email address').fill(PERSON);
    await page.getByRole('checkbox', { name: 'Language models & NLP', exact: true }).check();
    await page.getByRole('checkbox', { name: 'LLM agents & tool use', exact: true }).check();
    await page.getByLabel('Keywords').fill('reasoning');
    await page.getByRole('button', { name: 'Subscribe' }).click();
    await page.getByRole('heading', { name: 'Check your inbox' }).waitFor();
    await shot('03-check-your-inbox');
    expect(app.store.findSubscriberByEmail(PERSON)).toMatchObject({ status: 'pending', interests: { topics: ['nlp-llm', 'agents-tool-use'] } });

    // The confirmation email, caught by the SMTP sink; its link opens a page with a button.
    await sink.waitFor(1);
    const [confirmation] = await mailsTo(PERSON);
    expect(confirmation!.subject).toBe('Confirm your papermail subscription');
    const confirmUrl = /http:\/\/127\.0\.0\.1:\d+\/confirm\/[A-Za-z0-9_-]+/.exec(confirmation!.text ?? '')![0];
    await shotEmail('03b-confirmation-email', String(confirmation!.html));
    await page.goto(confirmUrl);
    await page.getByRole('heading', { name: 'Confirm your subscription' }).waitFor();
    await shot('04-confirm');
    expect(app.store.findSubscriberByEmail(PERSON)!.status).toBe('pending');
    await page.getByRole('button', { name: 'Confirm subscription' }).click();
    await page.getByRole('heading', { name: 'You are subscribed' }).waitFor();
    await shot('05-confirmed');
    expect(app.store.findSubscriberByEmail(PERSON)!.status).toBe('active');

    // Change topics on the preferences page, which previews today's digest.
    await page.getByRole('link', { name: 'Change your preferences' }).click();
    await page.getByRole('heading', { name: 'Your preferences' }).waitFor();
    expect(await page.locator('ol.papers li').count()).toBeGreaterThan(0);
    await shot('06-preferences');
    await page.getByRole('checkbox', { name: 'LLM agents & tool use', exact: true }).uncheck();
    await page.getByRole('checkbox', { name: 'Computer vision', exact: true }).check();
    await page.getByLabel('Papers per email').fill('4');
    await page.getByRole('button', { name: 'Save preferences' }).click();
    await page.getByRole('status').filter({ hasText: 'Your preferences are saved.' }).waitFor();
    await shot('07-preferences-saved');
    expect(app.store.findSubscriberByEmail(PERSON)).toMatchObject({ interests: { topics: ['nlp-llm', 'computer-vision'] }, digestSize: 4 });

    // A digest run: the person gets a digest with an unsubscribe link.
    const today = app.today();
    const first = await app.runDigest({ digestDate: today });
    expect(first.send.sent).toBe(2);
    const digests = (await mailsTo(PERSON)).filter((mail) => mail.subject?.startsWith('Trending papers'));
    expect(digests).toHaveLength(1);
    const listUnsubscribe = digests[0]!.headerLines.find((header) => header.key === 'list-unsubscribe')!.line;
    const unsubscribeUrl = /^List-Unsubscribe:\s*<(.+)>$/i.exec(listUnsubscribe)![1]!;
    expect(unsubscribeUrl.startsWith(`${origin}/unsubscribe/`)).toBe(true);
    expect(digests[0]!.html).toContain(`href="${unsubscribeUrl}"`);
    await shotEmail('07b-digest-email', String(digests[0]!.html));

    // Following it: one button, then gone.
    await page.goto(unsubscribeUrl);
    await page.getByRole('heading', { name: 'Unsubscribe' }).waitFor();
    await shot('08-unsubscribe');
    expect(app.store.findSubscriberByEmail(PERSON)!.status).toBe('active');
    await page.getByRole('button', { name: 'Unsubscribe' }).click();
    await page.getByRole('heading', { name: 'You are unsubscribed' }).waitFor();
    await shot('09-unsubscribed');
    expect(app.store.findSubscriberByEmail(PERSON)!.status).toBe('unsubscribed');

    // The next day's run sends the control subscriber a digest and this person nothing.
    const before = sink.accepted;
    const tomorrow = new Date(Date.parse(`${today}T12:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
    const second = await app.runDigest({ digestDate: tomorrow });
    expect(second.send.sent).toBe(1);
    expect(sink.accepted).toBe(before + 1);
    expect(sink.messages.at(-1)!.envelope.to).toEqual([CONTROL]);
    expect(await mailsTo(PERSON)).toHaveLength(2);

    // A broken link gets a friendly page.
    await page.goto(`${origin}/confirm/not-a-real-token`);
    await page.getByRole('heading', { name: 'This link does not work' }).waitFor();
    await shot('10-invalid-link');

    // The home page on a wide screen too.
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${origin}/`);
    await shot('11-home-desktop');

    expect(browserProblems).toEqual([]);
  });
});
