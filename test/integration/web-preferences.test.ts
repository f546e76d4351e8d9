import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Subscriber } from '../../src/domain.js';
import { paperEntry } from '../support/fixtures.js';
import { startWebHarness, type WebHarness } from '../e2e/support/web-harness.js';

const MAMBA = paperEntry();
const DIFFUSION = paperEntry({
  arxivId: '2112.10752',
  key: 'arxiv:2112.10752',
  title: 'High-Resolution Image Synthesis with Latent Diffusion Models',
  abstract:
    'By decomposing the image formation process into a sequential application of denoising autoencoders, diffusion models achieve state-of-the-art synthesis results on image data. We apply latent diffusion models in the latent space of powerful pretrained autoencoders for text-to-image generation.',
  authors: ['Robin Rombach', 'Andreas Blattmann'],
  categories: ['cs.CV'],
});

describe('managing preferences', () => {
  let h: WebHarness;
  let ada: Subscriber;
  let path: string;
  beforeEach(async () => {
    h = await startWebHarness();
    h.store.upsertPapers([MAMBA, DIFFUSION], null, h.clock.now());
    ada = h.store.addSubscriber(
      { email: 'ada@example.org', status: 'active', interests: { topics: ['efficient-architectures'], keywords: ['selective state'], excluded: ['survey'] }, digestSize: 5 },
      h.clock.now(),
    );
    path = h.pathOf(h.links.manageUrl(ada.id));
  });
  afterEach(() => h.close());

  it('GET shows the saved settings, pause/resume, and the papers today’s digest would hold; it changes nothing', async () => {
    const response = await h.server.inject({ method: 'GET', url: path });
    expect(response.statusCode).toBe(200);
    const body = response.body;
    expect(body).toContain('ada@example.org');
    expect(body).toMatch(/value="efficient-architectures"[^>]*\schecked/);
    expect(body).not.toMatch(/value="diffusion-models"[^>]*\schecked/);
    expect(body).toContain('name="keywords" value="selective state"');
    expect(body).toContain('name="excluded" value="survey"');
    expect(body).toContain('name="digestSize" value="5"');
    expect(body).toMatch(/name="delivery" value="active"[^>]*\schecked/);
    expect(body).toMatch(/<legend>Daily digest<\/legend>/);
    expect(body).toContain("Today's digest with your saved settings");
    expect(body).toContain('Mamba: Linear-Time Sequence Modeling with Selective State Spaces');
    expect(body).not.toContain('Latent Diffusion');
    expect(body).toContain(`href="${h.links.unsubscribeUrl(ada.id)}"`);
    expect(h.store.getSubscriber(ada.id)).toEqual(ada);
  });

  it('POST saves topics, keywords, excluded keywords and size, then redirects (303) to the page with a notice and the new preview', async () => {
    const response = await h.submit(path, { delivery: 'active', topics: ['diffusion-models', 'computer-vision'], keywords: 'latent diffusion', excluded: '', digestSize: '3' });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`${path}?saved=1`);
    const saved = h.store.getSubscriber(ada.id)!;
    expect(saved.interests).toEqual({ topics: ['diffusion-models', 'computer-vision'], keywords: ['latent diffusion'], excluded: [] });
    expect(saved.digestSize).toBe(3);
    expect(saved.status).toBe('active');

    const page = await h.server.inject({ method: 'GET', url: response.headers.location as string });
    expect(page.body).toContain('role="status">Your preferences are saved.');
    expect(page.body).toContain('High-Resolution Image Synthesis with Latent Diffusion Models');
    expect(page.body).not.toContain('Mamba:');
  });

  it('pauses and resumes the digest', async () => {
    const fields = { topics: ['efficient-architectures'], keywords: '', excluded: '', digestSize: '5' };
    await h.submit(path, { ...fields, delivery: 'paused' });
    expect(h.store.getSubscriber(ada.id)!.status).toBe('paused');
    const page = await h.server.inject({ method: 'GET', url: `${path}?saved=1` });
    expect(page.body).toMatch(/name="delivery" value="paused"[^>]*\schecked/);
    expect(page.body).toContain('The digest is paused until you resume it.');
    await h.submit(path, { ...fields, delivery: 'active' });
    expect(h.store.getSubscriber(ada.id)!.status).toBe('active');
  });

  it('re-renders with inline errors and the values as typed when the settings are invalid, and saves nothing', async () => {
    const response = await h.submit(path, { delivery: 'paused', topics: [], keywords: '', excluded: 'x'.repeat(81), digestSize: '0' });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('id="topics-error"');
    expect(response.body).toContain('id="excluded-error"');
    expect(response.body).toContain('id="digest-size-error"');
    expect(response.body).toContain('name="digestSize" value="0"');
    expect(response.body).toMatch(/name="delivery" value="paused"[^>]*\schecked/);
    expect(h.store.getSubscriber(ada.id)).toEqual(ada);
  });

  it('escapes stored keywords on the page', async () => {
    await h.submit(path, { delivery: 'active', topics: [], keywords: '<script>alert(1)</script>', excluded: '"><img src=x onerror=alert(1)>', digestSize: '5' });
    expect(h.store.getSubscriber(ada.id)!.interests.keywords).toEqual(['<script>alert(1)</script>']);
    const page = await h.server.inject({ method: 'GET', url: path });
    expect(page.body).not.toContain('<script>');
    expect(page.body).not.toContain('<img src=x');
    expect(page.body).toContain('value="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"');
    expect(page.body).toContain('value="&lt;script&gt;alert(1)&lt;/script&gt;"');
  });

  it('refuses a POST without the CSRF token (403) and saves nothing', async () => {
    const { cookie } = await h.openForm(path);
    const response = await h.post(path, { delivery: 'paused', topics: ['computer-vision'], digestSize: '5' }, { cookie });
    expect(response.statusCode).toBe(403);
    expect(h.store.getSubscriber(ada.id)).toEqual(ada);
  });

  it.each([
    ['an unsubscribe token', (h: WebHarness, id: number) => h.pathOf(h.links.unsubscribeUrl(id)).replace('/unsubscribe/', '/preferences/')],
    ['a confirm token', (h: WebHarness, id: number) => h.pathOf(h.links.confirmUrl(id, new Date(h.clock.now().getTime() + 60_000))).replace('/confirm/', '/preferences/')],
    ['a forged token', () => '/preferences/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
  ])('answers %s with 400 and changes nothing', async (_name, pathFor) => {
    const wrong = pathFor(h, ada.id);
    const shown = await h.server.inject({ method: 'GET', url: wrong });
    expect(shown.statusCode).toBe(400);
    expect(shown.body).toContain('This link does not work');
    const form = await h.openForm('/');
    const posted = await h.post(wrong, { _csrf: form.csrf, delivery: 'paused', topics: ['computer-vision'], digestSize: '5' }, { cookie: form.cookie });
    expect(posted.statusCode).toBe(400);
    expect(h.store.getSubscriber(ada.id)).toEqual(ada);
  });

  it('answers the link of an unsubscribed subscriber with 410 and a way back', async () => {
    h.store.setSubscriberStatus(ada.id, 'unsubscribed', h.clock.now());
    const response = await h.server.inject({ method: 'GET', url: path });
    expect(response.statusCode).toBe(410);
    expect(response.body).toContain('You are not subscribed');
    expect(response.body).toContain('Subscribe again');
  });

  it('asks a subscriber who re-subscribed to confirm first', async () => {
    h.store.setSubscriberStatus(ada.id, 'pending', h.clock.now());
    const response = await h.server.inject({ method: 'GET', url: path });
    expect(response.body).toContain('Confirm your subscription first');
    expect(response.body).not.toContain('name="topics"');
  });

  it('says when nothing matches today', async () => {
    await h.submit(path, { delivery: 'active', topics: ['time-series'], keywords: '', excluded: '', digestSize: '5' });
    const page = await h.server.inject({ method: 'GET', url: path });
    expect(page.body).toContain('No new paper matches these settings today.');
  });
});

describe('feedback on the preferences page', () => {
  let h: WebHarness;
  let ada: Subscriber;
  let path: string;
  let mambaId: number;
  let diffusionId: number;
  beforeEach(async () => {
    h = await startWebHarness();
    h.store.upsertPapers([MAMBA, DIFFUSION], null, h.clock.now());
    mambaId = h.store.getPaperByKey(MAMBA.key)!.id;
    diffusionId = h.store.getPaperByKey(DIFFUSION.key)!.id;
    ada = h.store.addSubscriber(
      { email: 'ada@example.org', status: 'active', interests: { topics: ['efficient-architectures'], keywords: [], excluded: [] }, digestSize: 5 },
      h.clock.now(),
    );
    path = h.pathOf(h.links.manageUrl(ada.id));
  });
  afterEach(() => h.close());

  const feedbackSection = (body: string) => /<h2 id="feedback">[\s\S]*?<\/section>/.exec(body)?.[0] ?? '';

  it('shows no feedback section while there is no feedback', async () => {
    const page = await h.server.inject({ method: 'GET', url: path });
    expect(page.body).not.toContain('Your feedback');
    expect(page.body).not.toContain('/feedback"');
  });

  it('lists each click, newest first, with its direction, date and a Remove button that carries the paper id in the body', async () => {
    h.store.recordFeedback(ada.id, mambaId, 'more', h.clock.now());
    h.clock.advance(2 * 24 * 60 * 60 * 1000);
    h.store.recordFeedback(ada.id, diffusionId, 'less', h.clock.now());
    const page = await h.server.inject({ method: 'GET', url: path });
    const section = feedbackSection(page.body);
    expect(section).toContain('Your feedback</h2>');
    expect(section).toContain('clicks in the digests tune which papers come first. Remove one here to undo it.');
    expect(section.indexOf('Latent Diffusion Models')).toBeLessThan(section.indexOf('Mamba:'));
    expect(section).toContain('Less like this · <time datetime="2026-12-05T09:00:00.000Z">5 Dec 2026</time>');
    expect(section).toContain('More like this · <time datetime="2026-12-03T09:00:00.000Z">3 Dec 2026</time>');
    expect(section.match(new RegExp(`<form method="post" action="${path}/feedback">`, 'g'))).toHaveLength(2);
    expect(section).toContain(`<input type="hidden" name="paper" value="${mambaId}">`);
    expect(section).toContain(`<input type="hidden" name="paper" value="${diffusionId}">`);
    expect(section.match(/name="_csrf"/g)).toHaveLength(2);
    expect(section).toContain('Remove<span class="visually-hidden"> feedback on Mamba: Linear-Time Sequence Modeling with Selective State Spaces</span></button>');
    expect(h.store.feedbackOf(ada.id)).toHaveLength(2);
  });

  it('removes one click, then redirects (303) back to the page with a notice', async () => {
    h.store.recordFeedback(ada.id, mambaId, 'more', h.clock.now());
    h.store.recordFeedback(ada.id, diffusionId, 'less', h.clock.now());
    const response = await h.submit(`${path}/feedback`, { paper: String(mambaId) }, { formUrl: path });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`${path}?removed=1#feedback`);
    expect(h.store.feedbackOf(ada.id).map((item) => item.paperId)).toEqual([diffusionId]);

    const page = await h.server.inject({ method: 'GET', url: `${path}?removed=1` });
    const section = feedbackSection(page.body);
    expect(section).toContain('role="status">Removed: that paper no longer steers your digest.');
    expect(section).not.toContain('Mamba:');
    expect(section).toContain('Latent Diffusion Models');
    // Removing again (a double click) lands on the same page.
    expect((await h.submit(`${path}/feedback`, { paper: String(mambaId) }, { formUrl: path })).statusCode).toBe(303);
  });

  it('removes nothing without the CSRF token (403), for a malformed paper id (400), or for another subscriber’s click', async () => {
    h.store.recordFeedback(ada.id, mambaId, 'more', h.clock.now());
    const bob = h.store.addSubscriber(
      { email: 'bob@example.org', status: 'active', interests: { topics: ['diffusion-models'], keywords: [], excluded: [] }, digestSize: 5 },
      h.clock.now(),
    );
    h.store.recordFeedback(bob.id, diffusionId, 'less', h.clock.now());

    const { cookie } = await h.openForm(path);
    expect((await h.post(`${path}/feedback`, { paper: String(mambaId) }, { cookie })).statusCode).toBe(403);
    for (const paper of ['', 'abc', '-1', '0', '1.5', '99999999999999999999']) {
      expect((await h.submit(`${path}/feedback`, { paper }, { formUrl: path })).statusCode).toBe(400);
    }
    expect((await h.submit(`${path}/feedback`, { paper: String(diffusionId) }, { formUrl: path })).statusCode).toBe(303);
    expect(h.store.feedbackOf(ada.id)).toHaveLength(1);
    expect(h.store.feedbackOf(bob.id)).toHaveLength(1);
  });

  it('refuses a feedback token in place of the manage token (400)', async () => {
    const feedbackToken = h.pathOf(h.links.feedbackUrl(ada.id, mambaId, 'more')).split('/')[2]!;
    h.store.recordFeedback(ada.id, mambaId, 'more', h.clock.now());
    const response = await h.submit(`/preferences/${feedbackToken}/feedback`, { paper: String(mambaId) }, { formUrl: path });
    expect(response.statusCode).toBe(400);
    expect(h.store.feedbackOf(ada.id)).toHaveLength(1);
  });

  it('escapes a hostile paper title in the list', async () => {
    h.store.upsertPapers([paperEntry({ arxivId: '2401.00001', key: 'arxiv:2401.00001', title: '<script>alert(1)</script>' })], null, h.clock.now());
    h.store.recordFeedback(ada.id, h.store.getPaperByKey('arxiv:2401.00001')!.id, 'less', h.clock.now());
    const page = await h.server.inject({ method: 'GET', url: path });
    expect(page.body).not.toContain('<script>');
    expect(feedbackSection(page.body)).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});
