import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TAXONOMY } from '../../src/rank/taxonomy.js';
import { startWebHarness, type WebHarness } from '../e2e/support/web-harness.js';

const ADA = 'ada@example.org';
const FIELDS = { email: ADA, topics: ['nlp-llm', 'llm-alignment'], keywords: 'activation steering, RLHF', excluded: 'survey', digestSize: '5' };

describe('GET /', () => {
  let h: WebHarness;
  beforeEach(async () => (h = await startWebHarness()));
  afterEach(() => h.close());

  it('shows the subscription form: a labelled email field, one checkbox per topic in a fieldset with a legend, keywords and size', async () => {
    const { response, csrf, cookie } = await h.openForm('/');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    const body = response.body;
    expect(body).toContain('<html lang="en">');
    expect(body.match(/<h1>/g)).toHaveLength(1);
    expect(body).toContain('<label for="email">Email address</label>');
    expect(body).toMatch(/<fieldset id="topics"[^>]*>\s*<legend>Topics<\/legend>/);
    expect(body.match(/type="checkbox" name="topics"/g)).toHaveLength(TAXONOMY.length);
    for (const topic of TAXONOMY) expect(body).toContain(`value="${topic.slug}"`);
    expect(body).toContain('<label for="keywords">');
    expect(body).toContain('<label for="excluded">');
    expect(body).toContain('<label for="digest-size">');
    expect(body).toContain('name="digestSize" value="10"');
    expect(body).toContain('action="/subscribe"');
    expect(csrf).not.toBe('');
    expect(cookie).toMatch(/^papermail_csrf=/);
  });

  it('links one stylesheet and carries no script and no inline style', async () => {
    const { response } = await h.openForm('/');
    expect(response.body).toMatch(/<link rel="stylesheet" href="\/static\/site\.css\?v=[0-9a-f]{12}">/);
    expect(response.body).not.toMatch(/<script|<style|\sstyle=|\son[a-z]+=/i);
  });
});

describe('POST /subscribe', () => {
  let h: WebHarness;
  beforeEach(async () => (h = await startWebHarness()));
  afterEach(() => h.close());

  const subscribe = (fields: Record<string, string | readonly string[]>, ip?: string) => h.submit('/subscribe', fields, { formUrl: '/', ...(ip ? { ip } : {}) });

  it('stores a new address as pending with its interests and emails it a confirmation link, and nothing else', async () => {
    const response = await subscribe(FIELDS);
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('Check your inbox');
    expect(response.body).toContain(ADA);

    const subscriber = h.store.findSubscriberByEmail(ADA)!;
    expect(subscriber.status).toBe('pending');
    expect(subscriber.interests).toEqual({ topics: ['nlp-llm', 'llm-alignment'], keywords: ['activation steering', 'RLHF'], excluded: ['survey'] });
    expect(subscriber.digestSize).toBe(5);

    await h.sink.waitFor(1);
    const [mail] = await h.mails();
    expect(h.sink.messages[0]!.envelope.to).toEqual([ADA]);
    expect(mail!.from?.text).toBe('"papermail" <digest@papers.example.org>');
    expect(mail!.to && !Array.isArray(mail!.to) ? mail!.to.text : '').toBe(ADA);
    expect(mail!.subject).toBe('Confirm your papermail subscription');
    expect(mail!.date?.toISOString()).toBe(h.clock.now().toISOString());
    expect(mail!.messageId).toMatch(/^<account\.[0-9a-f]{24}@papers\.example\.org>$/);
    expect(mail!.headers.get('list-unsubscribe')).toBeUndefined();
    expect(mail!.headers.get('auto-submitted')).toBe('auto-generated');
    const link = /https:\/\/papers\.example\.org\/confirm\/[A-Za-z0-9_-]{38}/.exec(mail!.text ?? '')?.[0];
    expect(link).toBeDefined();
    expect(mail!.html).toContain(`href="${link}"`);
    expect(mail!.text).toContain('This link works for 3 days.');
    const check = h.tokens.verify(link!.split('/').pop()!, 'confirm', h.clock.now());
    expect(check.status).toBe('valid');
    expect(check.status === 'valid' && check.claims.subscriberId).toBe(subscriber.id);
  });

  it('uses the default digest size when the field is left empty', async () => {
    await subscribe({ ...FIELDS, digestSize: '' });
    expect(h.store.findSubscriberByEmail(ADA)!.digestSize).toBe(10);
  });

  it('answers new, pending and active addresses with the same status and the same page', async () => {
    const asNew = await subscribe(FIELDS);
    expect(h.store.findSubscriberByEmail(ADA)!.status).toBe('pending');
    const asPending = await subscribe(FIELDS);
    h.store.setSubscriberStatus(h.store.findSubscriberByEmail(ADA)!.id, 'active', h.clock.now());
    const asActive = await subscribe(FIELDS);

    for (const response of [asPending, asActive]) {
      expect(response.statusCode).toBe(asNew.statusCode);
      expect(response.body).toBe(asNew.body);
      expect(Object.keys(response.headers).sort()).toEqual(Object.keys(asNew.headers).sort());
    }
  });

  it('mails an active subscriber a "manage your subscription" email instead of a second confirmation, and changes nothing', async () => {
    const ada = h.store.addSubscriber({ email: ADA, status: 'active', interests: { topics: ['computer-vision'], keywords: [], excluded: [] }, digestSize: 3 }, h.clock.now());
    const response = await subscribe(FIELDS);
    expect(response.statusCode).toBe(200);
    await h.sink.waitFor(1);
    const [mail] = await h.mails();
    expect(mail!.subject).toBe('Your papermail subscription');
    expect(mail!.text).toContain(h.links.manageUrl(ada.id));
    expect(mail!.text).toContain(h.links.unsubscribeUrl(ada.id));
    expect(mail!.text).not.toContain('/confirm/');
    expect(h.store.getSubscriber(ada.id)).toEqual(ada);
  });

  it('gives a pending address the new interests and a fresh confirmation', async () => {
    await subscribe(FIELDS);
    await subscribe({ ...FIELDS, topics: ['computer-vision'], keywords: '', excluded: '' });
    await h.sink.waitFor(2);
    const subscriber = h.store.findSubscriberByEmail(ADA)!;
    expect(subscriber.status).toBe('pending');
    expect(subscriber.interests.topics).toEqual(['computer-vision']);
    expect((await h.mails()).map((mail) => mail.subject)).toEqual(['Confirm your papermail subscription', 'Confirm your papermail subscription']);
  });

  it.each(['unsubscribed', 'bounced'] as const)('puts the address back to pending with the new interests and a confirmation when it was %s', async (status) => {
    const old = h.store.addSubscriber({ email: ADA, status, interests: { topics: ['computer-vision'], keywords: [], excluded: [] }, digestSize: 3 }, h.clock.now());
    const response = await subscribe(FIELDS);
    expect(response.statusCode).toBe(200);
    const subscriber = h.store.getSubscriber(old.id)!;
    expect(subscriber.status).toBe('pending');
    expect(subscriber.interests.topics).toEqual(['nlp-llm', 'llm-alignment']);
    await h.sink.waitFor(1);
    expect((await h.mails())[0]!.subject).toBe('Confirm your papermail subscription');
  });

  it.each([
    ['a bad address', { email: 'not-an-address' }, 'email', 'is not a valid email address'],
    ['an empty address', { email: '' }, 'email', 'Enter an email address'],
    ['no topic and no keyword', { topics: [], keywords: '' }, 'topics', 'Choose at least one topic or keyword'],
    ['an unknown topic', { topics: ['astrology'] }, 'topics', 'Unknown topic'],
    ['too many keywords', { keywords: Array.from({ length: 21 }, (_, i) => `kw${i}`).join(', ') }, 'keywords', 'At most 20 keywords'],
    ['an oversize keyword', { keywords: 'x'.repeat(81) }, 'keywords', 'longer than 80 characters'],
    ['an oversize address', { email: `${'a'.repeat(250)}@example.org` }, 'email', 'at most 254 characters'],
    ['a digest size out of range', { digestSize: '51' }, 'digestSize', 'from 1 to 50'],
  ])('re-renders the form with an inline error for %s, keeps the values, and sends nothing', async (_name, change, field, message) => {
    const response = await subscribe({ ...FIELDS, ...change });
    expect(response.statusCode).toBe(400);
    const id = field === 'digestSize' ? 'digest-size' : field;
    expect(response.body).toContain(`id="${id}-error"`);
    expect(response.body).toContain(message);
    expect(response.body).toMatch(new RegExp(`aria-describedby="[^"]*${id}-error`));
    expect(response.body).toContain(`<a href="#${id}">`);
    expect(response.body).toMatch(/<title>Error: /);
    // The values come back as typed.
    if (!('email' in change)) expect(response.body).toContain(`value="${ADA}"`);
    if (!('topics' in change)) expect(response.body).toMatch(/value="llm-alignment"[^>]*\schecked/);
    expect(h.store.findSubscriberByEmail(ADA)).toBeUndefined();
    expect(h.sink.accepted).toBe(0);
  });

  it('escapes what was typed when it shows it again', async () => {
    const response = await subscribe({ ...FIELDS, email: 'bad"><script>alert(1)</script>', keywords: '<script>alert(1)</script>' });
    expect(response.statusCode).toBe(400);
    expect(response.body).not.toContain('<script>');
    expect(response.body).toContain('value="&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(response.body).toContain('value="bad&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
  });

  it.each([
    ['CR/LF', `${ADA}\r\nBcc: eve@example.org`],
    ['LF', `${ADA}\nBcc: eve@example.org`],
    ['a list', `${ADA}, eve@example.org`],
  ])('refuses an address with %s (header injection) and sends nothing', async (_name, email) => {
    const response = await subscribe({ ...FIELDS, email });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('id="email-error"');
    expect(h.store.findSubscriberByEmail(ADA)).toBeUndefined();
    expect(h.sink.accepted).toBe(0);
  });

  it('takes a repeated email field as one invalid address, never as two', async () => {
    const response = await subscribe({ ...FIELDS, email: [ADA, 'eve@example.org'] });
    expect(response.statusCode).toBe(400);
    expect(h.sink.accepted).toBe(0);
  });

  describe('CSRF', () => {
    it('refuses a post without the form token, with a page that says what to do', async () => {
      const { cookie } = await h.openForm('/');
      const response = await h.post('/subscribe', FIELDS, { cookie });
      expect(response.statusCode).toBe(403);
      expect(response.body).toContain('Please try that again');
      expect(h.store.findSubscriberByEmail(ADA)).toBeUndefined();
      expect(h.sink.accepted).toBe(0);
    });

    it('refuses a post with a token but without the cookie it belongs to', async () => {
      const { csrf } = await h.openForm('/');
      const response = await h.post('/subscribe', { ...FIELDS, _csrf: csrf });
      expect(response.statusCode).toBe(403);
      expect(h.store.findSubscriberByEmail(ADA)).toBeUndefined();
    });

    it("refuses one browser's token with another browser's cookie", async () => {
      const mine = await h.openForm('/');
      const theirs = await h.openForm('/');
      const response = await h.post('/subscribe', { ...FIELDS, _csrf: theirs.csrf }, { cookie: mine.cookie });
      expect(response.statusCode).toBe(403);
    });
  });

  describe('rate limits', () => {
    it('refuses more than the per-IP limit in an hour from one IP, and still serves other IPs', async () => {
      await h.close();
      h = await startWebHarness({ rateLimit: { perIpPerHour: 3, perAddressPerHour: 10 } });
      for (let i = 0; i < 3; i++) expect((await subscribe({ ...FIELDS, email: `reader${i}@example.org` }, '203.0.113.7')).statusCode).toBe(200);
      const refused = await subscribe({ ...FIELDS, email: 'reader9@example.org' }, '203.0.113.7');
      expect(refused.statusCode).toBe(429);
      expect(refused.body).toContain('Too many requests');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(3500);
      expect(h.store.findSubscriberByEmail('reader9@example.org')).toBeUndefined();
      expect((await subscribe({ ...FIELDS, email: 'reader9@example.org' }, '198.51.100.2')).statusCode).toBe(200);
      expect(h.sink.accepted).toBe(4);
    });

    it('refuses more than the per-address limit in an hour for one address, from any IP and in any letter case', async () => {
      await h.close();
      h = await startWebHarness({ rateLimit: { perIpPerHour: 100, perAddressPerHour: 2 } });
      expect((await subscribe(FIELDS, '203.0.113.1')).statusCode).toBe(200);
      expect((await subscribe({ ...FIELDS, email: 'Ada@Example.ORG' }, '203.0.113.2')).statusCode).toBe(200);
      const refused = await subscribe(FIELDS, '203.0.113.3');
      expect(refused.statusCode).toBe(429);
      expect((await subscribe({ ...FIELDS, email: 'bob@example.org' }, '203.0.113.3')).statusCode).toBe(200);
      await h.sink.waitFor(3);
      expect(h.sink.messages.filter((message) => message.envelope.to[0]!.toLowerCase() === ADA)).toHaveLength(2);
    });
  });

  it('says the email could not be sent (503) when the mail server refuses it, the same for every address', async () => {
    h.sink.set({ rcpt: () => ({ code: 451, message: '4.3.0 Try again later' }) });
    const response = await subscribe(FIELDS);
    expect(response.statusCode).toBe(503);
    expect(response.body).toContain('We could not send the email');
  });
});
