import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startWebHarness, type WebHarness } from '../e2e/support/web-harness.js';

describe('the site as a whole', () => {
  let h: WebHarness;
  beforeEach(async () => (h = await startWebHarness()));
  afterEach(() => h.close());

  it.each([
    ['the home page', '/', 200],
    ['a token page', '/confirm/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 400],
    ['an unknown page', '/nowhere', 404],
  ])('sends the security headers on %s', async (_name, url, status) => {
    const response = await h.server.inject({ method: 'GET', url });
    expect(response.statusCode).toBe(status);
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("form-action 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['referrer-policy']).toBe('no-referrer');
    expect(response.headers['x-frame-options']).toBe('DENY');
    expect(response.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it('answers an unknown page with a friendly 404 page', async () => {
    const response = await h.server.inject({ method: 'GET', url: '/wp-admin' });
    expect(response.statusCode).toBe(404);
    expect(response.body).toContain('Page not found');
  });

  it('answers a body over the limit with 413 and a page, not a stack trace', async () => {
    const { cookie, csrf } = await h.openForm('/');
    const response = await h.post('/subscribe', { email: 'ada@example.org', keywords: 'k'.repeat(40_000), _csrf: csrf }, { cookie });
    expect(response.statusCode).toBe(413);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.body).toContain('That request did not work');
    expect(response.body).not.toMatch(/FST_|\bat .*\.(ts|js):\d+/);
  });

  it('serves the stylesheet as text/css, cacheable', async () => {
    const page = await h.server.inject({ method: 'GET', url: '/' });
    const href = /href="(\/static\/site\.css\?v=[0-9a-f]+)"/.exec(page.body)![1]!;
    const css = await h.server.inject({ method: 'GET', url: href });
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(css.headers['cache-control']).toContain('immutable');
    expect(css.body).toContain(':focus-visible');
  });

  it('does not send the Secure cookie flag or HSTS on a plain-http site, and serves under PUBLIC_URL’s path', async () => {
    await h.close();
    h = await startWebHarness({ publicUrl: 'http://localhost:3000/papers' });
    const page = await h.openForm('/papers/');
    expect(page.response.statusCode).toBe(200);
    expect(page.response.headers['strict-transport-security']).toBeUndefined();
    expect(String(page.response.headers['set-cookie'])).not.toContain('Secure');
    expect(String(page.response.headers['set-cookie'])).toContain('Path=/papers');
    expect(page.response.body).toContain('action="/papers/subscribe"');
    expect(page.response.body).toContain('href="/papers/static/site.css');
    const response = await h.post('/papers/subscribe', { email: 'ada@example.org', topics: 'nlp-llm', _csrf: page.csrf }, { cookie: page.cookie });
    expect(response.statusCode).toBe(200);
    await h.sink.waitFor(1);
    expect((await h.mails())[0]!.text).toContain('http://localhost:3000/papers/confirm/');
  });
});

describe('GET /healthz', () => {
  let h: WebHarness;
  beforeEach(async () => (h = await startWebHarness()));
  afterEach(() => h.close());

  it('answers 200 { ok: true } while the database answers', async () => {
    const response = await h.server.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ ok: true });
  });

  it('answers 503 { ok: false } when it does not', async () => {
    h.store.close();
    const response = await h.server.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({ ok: false });
  });
});

describe('GET /subscribe', () => {
  it('leads back to the form', async () => {
    const h = await startWebHarness();
    try {
      const response = await h.server.inject({ method: 'GET', url: '/subscribe' });
      expect(response.statusCode).toBe(303);
      expect(response.headers.location).toBe('/');
    } finally {
      await h.close();
    }
  });
});
