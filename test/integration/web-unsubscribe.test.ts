import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Subscriber } from '../../src/domain.js';
import { startWebHarness, type WebHarness } from '../e2e/support/web-harness.js';

describe('unsubscribing', () => {
  let h: WebHarness;
  let ada: Subscriber;
  let path: string;
  beforeEach(async () => {
    h = await startWebHarness();
    ada = h.store.addSubscriber(
      { email: 'ada@example.org', status: 'active', interests: { topics: ['nlp-llm'], keywords: [], excluded: [] }, digestSize: 5 },
      h.clock.now(),
    );
    path = h.pathOf(h.links.unsubscribeUrl(ada.id));
  });
  afterEach(() => h.close());

  const oneClick = (url: string, headers: Record<string, string> = {}, payload = 'List-Unsubscribe=One-Click') =>
    h.server.inject({ method: 'POST', url, headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, payload });

  it('GET shows one button that posts back to the same link, and changes nothing', async () => {
    for (let i = 0; i < 2; i++) {
      const response = await h.server.inject({ method: 'GET', url: path });
      expect(response.statusCode).toBe(200);
      expect(response.body).toContain('Stop the daily digest to <span class="address">ada@example.org</span>?');
      expect(response.body.match(/<button/g)).toHaveLength(1);
      expect(response.body).toContain(`<form method="post" action="${path}">`);
    }
    expect(h.store.getSubscriber(ada.id)).toEqual(ada);
  });

  it('POST from the page (with its CSRF token) unsubscribes at once', async () => {
    const response = await h.submit(path, {});
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('You are unsubscribed');
    expect(h.store.getSubscriber(ada.id)!.status).toBe('unsubscribed');
  });

  it('POST without the one-click body and without the CSRF token is refused (403)', async () => {
    const { cookie } = await h.openForm(path);
    expect((await h.post(path, {}, { cookie })).statusCode).toBe(403);
    expect((await h.post(path, { 'List-Unsubscribe': 'Two-Clicks' })).statusCode).toBe(403);
    expect(h.store.getSubscriber(ada.id)!.status).toBe('active');
  });

  describe('RFC 8058 one-click', () => {
    it('unsubscribes on a form-encoded List-Unsubscribe=One-Click with no cookie and no CSRF token, answering 200 without a redirect', async () => {
      const response = await oneClick(path);
      expect(response.statusCode).toBe(200);
      expect(response.headers.location).toBeUndefined();
      expect(h.store.getSubscriber(ada.id)!.status).toBe('unsubscribed');
    });

    it('accepts the body as multipart/form-data too', async () => {
      const boundary = '----papermail-test-boundary';
      const payload = `--${boundary}\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--${boundary}--\r\n`;
      const response = await oneClick(path, { 'content-type': `multipart/form-data; boundary=${boundary}` }, payload);
      expect(response.statusCode).toBe(200);
      expect(h.store.getSubscriber(ada.id)!.status).toBe('unsubscribed');
    });

    it('is idempotent: a second one-click answers 200 and changes nothing', async () => {
      await oneClick(path);
      const changedAt = h.store.getSubscriber(ada.id);
      h.clock.advance(60_000);
      expect((await oneClick(path)).statusCode).toBe(200);
      expect(h.store.getSubscriber(ada.id)).toEqual(changedAt);
    });

    it('leaves a bounced address bounced', async () => {
      h.store.setSubscriberStatus(ada.id, 'bounced', h.clock.now());
      expect((await oneClick(path)).statusCode).toBe(200);
      expect(h.store.getSubscriber(ada.id)!.status).toBe('bounced');
    });

    it('answers 200 for a subscriber deleted since the email went out', async () => {
      h.store.removeSubscriber('ada@example.org');
      expect((await oneClick(path)).statusCode).toBe(200);
    });

    it.each([
      ['forged', () => '/unsubscribe/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
      ['made for managing preferences', (h: WebHarness, id: number) => h.pathOf(h.links.manageUrl(id)).replace('/preferences/', '/unsubscribe/')],
      ['made for confirming', (h: WebHarness, id: number) => h.pathOf(h.links.confirmUrl(id, new Date(h.clock.now().getTime() + 60_000))).replace('/confirm/', '/unsubscribe/')],
    ])('refuses a token that is %s (400) and changes nothing', async (_name, pathFor) => {
      const response = await oneClick(pathFor(h, ada.id));
      expect(response.statusCode).toBe(400);
      expect(h.store.getSubscriber(ada.id)!.status).toBe('active');
      expect((await h.server.inject({ method: 'GET', url: pathFor(h, ada.id) })).statusCode).toBe(400);
    });
  });

  it('shows "not subscribed" to an unsubscribed address opening the link again', async () => {
    await oneClick(path);
    const response = await h.server.inject({ method: 'GET', url: path });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('You are not subscribed');
    expect(response.body).not.toContain('<button');
  });

  it('makes a later re-subscription go through confirmation again', async () => {
    await oneClick(path);
    const response = await h.submit('/subscribe', { email: 'ada@example.org', topics: ['nlp-llm'], digestSize: '5' }, { formUrl: '/' });
    expect(response.statusCode).toBe(200);
    expect(h.store.getSubscriber(ada.id)!.status).toBe('pending');
    await h.sink.waitFor(1);
    const [mail] = await h.mails();
    expect(mail!.subject).toBe('Confirm your papermail subscription');
    const confirmPath = h.pathOf(/https:\/\/\S+\/confirm\/\S+/.exec(mail!.text ?? '')![0]);
    await h.submit(confirmPath, {});
    expect(h.store.getSubscriber(ada.id)!.status).toBe('active');
  });
});
