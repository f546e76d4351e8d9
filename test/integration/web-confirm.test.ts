import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SubscriberStatus } from '../../src/domain.js';
import { DAY_MS, startWebHarness, type WebHarness } from '../e2e/support/web-harness.js';

const INTERESTS = { topics: ['efficient-architectures'], keywords: ['mamba'], excluded: [] };

describe('confirming a subscription', () => {
  let h: WebHarness;
  beforeEach(async () => (h = await startWebHarness()));
  afterEach(() => h.close());

  function subscriber(status: SubscriberStatus = 'pending') {
    return h.store.addSubscriber({ email: 'ada@example.org', status, interests: INTERESTS, digestSize: 5 }, h.clock.now());
  }
  const confirmPath = (id: number, validForMs = 3 * DAY_MS) => h.pathOf(h.links.confirmUrl(id, new Date(h.clock.now().getTime() + validForMs)));

  it('GET shows a page with a Confirm button that posts back to the same link, and changes nothing', async () => {
    const ada = subscriber();
    const path = confirmPath(ada.id);
    for (let i = 0; i < 3; i++) {
      const response = await h.server.inject({ method: 'GET', url: path });
      expect(response.statusCode).toBe(200);
      expect(response.body).toContain('Confirm your subscription');
      expect(response.body).toContain(`<form method="post" action="${path}">`);
      expect(response.body).toContain('<button type="submit" class="button">Confirm subscription</button>');
    }
    // A HEAD (what some link checkers send) changes nothing either.
    await h.server.inject({ method: 'HEAD', url: path });
    expect(h.store.getSubscriber(ada.id)).toEqual(ada);
  });

  it('POST with the page’s CSRF token activates the subscriber and links to the preferences', async () => {
    const ada = subscriber();
    const path = confirmPath(ada.id);
    const response = await h.submit(path, {});
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('You are subscribed');
    expect(response.body).toContain(`href="${h.links.manageUrl(ada.id)}"`);
    const confirmed = h.store.getSubscriber(ada.id)!;
    expect(confirmed.status).toBe('active');
    expect(confirmed.confirmedAt).toBe(h.clock.now().toISOString());
  });

  it('POST without the CSRF token is refused (403) and confirms nothing', async () => {
    const ada = subscriber();
    const path = confirmPath(ada.id);
    const { cookie } = await h.openForm(path);
    const response = await h.post(path, {}, { cookie });
    expect(response.statusCode).toBe(403);
    expect(h.store.getSubscriber(ada.id)!.status).toBe('pending');
  });

  it('says "already subscribed" to a second confirmation (a reload), and keeps the first confirmation time', async () => {
    const ada = subscriber();
    const path = confirmPath(ada.id);
    const form = await h.openForm(path);
    await h.post(path, { _csrf: form.csrf }, { cookie: form.cookie });
    const confirmedAt = h.store.getSubscriber(ada.id)!.confirmedAt;
    h.clock.advance(60_000);
    const again = await h.post(path, { _csrf: form.csrf }, { cookie: form.cookie });
    expect(again.statusCode).toBe(200);
    expect(again.body).toContain('You are already subscribed');
    expect(h.store.getSubscriber(ada.id)!.confirmedAt).toBe(confirmedAt);
    expect((await h.server.inject({ method: 'GET', url: path })).body).toContain('You are already subscribed');
  });

  it('answers an expired link with 410 and a way to subscribe again, on GET and POST, and confirms nothing', async () => {
    const ada = subscriber();
    const path = confirmPath(ada.id, 3 * DAY_MS);
    const form = await h.openForm(path);
    h.clock.advance(3 * DAY_MS + 1000);
    const shown = await h.server.inject({ method: 'GET', url: path });
    expect(shown.statusCode).toBe(410);
    expect(shown.body).toContain('This link has expired');
    expect(shown.body).toContain('<a class="button" href="/">Subscribe again</a>');
    const posted = await h.post(path, { _csrf: form.csrf }, { cookie: form.cookie });
    expect(posted.statusCode).toBe(410);
    expect(h.store.getSubscriber(ada.id)!.status).toBe('pending');
  });

  it.each([
    ['forged (one character changed)', (token: string) => (token[0] === 'A' ? 'B' : 'A') + token.slice(1)],
    ['cut short', (token: string) => token.slice(0, 20)],
    ['not a token at all', () => '..%2F..%2Fetc%2Fpasswd'],
    ['made for unsubscribing', (_token: string, h: WebHarness, id: number) => h.links.unsubscribeUrl(id).split('/').pop()!],
    ['made for managing preferences', (_token: string, h: WebHarness, id: number) => h.links.manageUrl(id).split('/').pop()!],
  ])('answers a token that is %s with 400 and a friendly page, never a stack trace', async (_name, tamper) => {
    const ada = subscriber();
    const token = confirmPath(ada.id).split('/').pop()!;
    const path = `/confirm/${tamper(token, h, ada.id)}`;
    const shown = await h.server.inject({ method: 'GET', url: path });
    expect(shown.statusCode).toBe(400);
    expect(shown.body).toContain('This link does not work');
    expect(shown.body).toContain('href="/"');
    expect(shown.body).not.toMatch(/Error:|\bat .*\.(ts|js):\d+/);
    const form = await h.openForm('/');
    expect((await h.post(path, { _csrf: form.csrf }, { cookie: form.cookie })).statusCode).toBe(400);
    expect(h.store.getSubscriber(ada.id)!.status).toBe('pending');
  });

  it.each(['unsubscribed', 'bounced'] as const)('does not bring back a subscriber who is %s since the link was sent (410)', async (status) => {
    const ada = subscriber();
    const path = confirmPath(ada.id);
    h.store.setSubscriberStatus(ada.id, status, h.clock.now());
    expect((await h.server.inject({ method: 'GET', url: path })).statusCode).toBe(410);
    expect((await h.submit(path, {}, { formUrl: '/' })).statusCode).toBe(410);
    expect(h.store.getSubscriber(ada.id)!.status).toBe(status);
  });

  it('answers the link of a deleted subscriber with 410', async () => {
    const ada = subscriber();
    const path = confirmPath(ada.id);
    h.store.removeSubscriber('ada@example.org');
    const response = await h.server.inject({ method: 'GET', url: path });
    expect(response.statusCode).toBe(410);
    expect(response.body).toContain('This link no longer works');
  });
});
