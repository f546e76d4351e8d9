import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FeedbackDirection, Subscriber } from '../../src/domain.js';
import { paperEntry } from '../support/fixtures.js';
import { startWebHarness, type WebHarness } from '../e2e/support/web-harness.js';

const MAMBA = paperEntry();
const HOSTILE = paperEntry({ arxivId: '2401.00001', key: 'arxiv:2401.00001', title: '<script>alert(1)</script> Attention "is" all' });
const flipLast = (token: string) => token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
const MAMBA_TITLE = 'Mamba: Linear-Time Sequence Modeling with Selective State Spaces';

describe('"more like this" / "less like this" links', () => {
  let h: WebHarness;
  let ada: Subscriber;
  let mambaId: number;
  let hostileId: number;
  beforeEach(async () => {
    h = await startWebHarness();
    h.store.upsertPapers([MAMBA, HOSTILE], null, h.clock.now());
    mambaId = h.store.getPaperByKey(MAMBA.key)!.id;
    hostileId = h.store.getPaperByKey(HOSTILE.key)!.id;
    ada = h.store.addSubscriber(
      { email: 'ada@example.org', status: 'active', interests: { topics: ['efficient-architectures'], keywords: [], excluded: [] }, digestSize: 5 },
      h.clock.now(),
    );
  });
  afterEach(() => h.close());

  const feedbackPath = (direction: FeedbackDirection, paperId = mambaId, subscriberId = ada.id) =>
    h.pathOf(h.links.feedbackUrl(subscriberId, paperId, direction));
  const undoPath = (paperId = mambaId) => feedbackPath('more', paperId).replace(/\/more$/, '/undo');
  const feedbackOfAda = () => h.store.feedbackOf(ada.id).map(({ paperId, direction, at }) => ({ paperId, direction, at }));

  it.each([
    ['more', 'Show you more papers like this?', 'Yes, more like this'],
    ['less', 'Show you fewer papers like this?', 'Yes, fewer like this'],
  ] as const)('GET %s shows the paper, the question and one button that posts back, and records nothing', async (direction, question, button) => {
    const path = feedbackPath(direction);
    for (let i = 0; i < 2; i++) {
      const response = await h.server.inject({ method: 'GET', url: path });
      expect(response.statusCode).toBe(200);
      expect(response.body).toContain(`<h1>${question}</h1>`);
      expect(response.body).toContain(MAMBA_TITLE);
      expect(response.body.match(/<button/g)).toHaveLength(1);
      expect(response.body).toContain(`<form method="post" action="${path}">`);
      expect(response.body).toContain(`>${button}</button>`);
      expect(response.body).toContain(`href="${h.links.manageUrl(ada.id)}"`);
    }
    expect(feedbackOfAda()).toEqual([]);
    expect(h.store.getSubscriber(ada.id)).toEqual(ada);
  });

  it.each([
    ['more', 'toward'],
    ['less', 'away from'],
  ] as const)('POST %s records the click and answers 200 with an Undo button and a link to the preferences', async (direction, leans) => {
    const response = await h.submit(feedbackPath(direction), {});
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('<h1>Thanks for the feedback</h1>');
    expect(response.body).toContain(`Noted: your next digest leans ${leans} papers like «${MAMBA_TITLE}».`);
    expect(response.body).toContain(`<form method="post" action="${undoPath()}">`);
    expect(response.body).toMatch(/name="_csrf" value="[^"]+"/);
    expect(response.body).toContain('>Undo</button>');
    expect(response.body).toContain(`href="${h.links.manageUrl(ada.id)}"`);
    expect(feedbackOfAda()).toEqual([{ paperId: mambaId, direction, at: h.clock.now().toISOString() }]);
  });

  it('keeps one click per paper: switching direction replaces the earlier one', async () => {
    await h.submit(feedbackPath('more'), {});
    h.clock.advance(60_000);
    await h.submit(feedbackPath('less'), {});
    expect(feedbackOfAda()).toEqual([{ paperId: mambaId, direction: 'less', at: h.clock.now().toISOString() }]);
  });

  it('says so when the same feedback was already given, still offering the button, and says a different one will be replaced', async () => {
    await h.submit(feedbackPath('more'), {});
    const same = await h.server.inject({ method: 'GET', url: feedbackPath('more') });
    expect(same.body).toContain('You already asked for more papers like this one (<time datetime="2026-12-03T09:00:00.000Z">3 Dec 2026</time>).');
    expect(same.body.match(/<button/g)).toHaveLength(1);
    const opposite = await h.server.inject({ method: 'GET', url: feedbackPath('less') });
    expect(opposite.body).toContain('you asked for more papers like this one. Pressing the button replaces that.');
    expect(feedbackOfAda()).toHaveLength(1);
  });

  it('undoes the click with the page’s Undo button', async () => {
    const session = await h.openForm(feedbackPath('less'));
    const recorded = await h.post(feedbackPath('less'), { _csrf: session.csrf }, { cookie: session.cookie });
    expect(feedbackOfAda()).toHaveLength(1);
    const undoCsrf = /name="_csrf" value="([^"]+)"/.exec(recorded.body)![1]!;
    const undone = await h.post(undoPath(), { _csrf: undoCsrf }, { cookie: session.cookie });
    expect(undone.statusCode).toBe(200);
    expect(undone.body).toContain('<h1>Undone</h1>');
    expect(undone.body).toContain(`Your digest no longer takes «${MAMBA_TITLE}» into account.`);
    expect(feedbackOfAda()).toEqual([]);
    // Twice is harmless.
    expect((await h.post(undoPath(), { _csrf: undoCsrf }, { cookie: session.cookie })).statusCode).toBe(200);
  });

  it('undoes only the click on the token’s paper', async () => {
    await h.submit(feedbackPath('more'), {});
    await h.submit(feedbackPath('less', hostileId), {});
    await h.submit(undoPath(), {}, { formUrl: feedbackPath('more') });
    expect(feedbackOfAda().map((item) => item.paperId)).toEqual([hostileId]);
  });

  it('refuses a POST without the CSRF token (403) and changes nothing', async () => {
    const { cookie } = await h.openForm(feedbackPath('more'));
    expect((await h.post(feedbackPath('more'), {}, { cookie })).statusCode).toBe(403);
    expect((await h.post(feedbackPath('more'), {})).statusCode).toBe(403);
    expect(feedbackOfAda()).toEqual([]);

    h.store.recordFeedback(ada.id, mambaId, 'more', h.clock.now());
    expect((await h.post(undoPath(), {}, { cookie })).statusCode).toBe(403);
    expect(feedbackOfAda()).toHaveLength(1);
  });

  it.each([
    ['forged', () => 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['made for unsubscribing', (h: WebHarness, id: number) => h.pathOf(h.links.unsubscribeUrl(id)).split('/').pop()!],
    ['made for managing preferences', (h: WebHarness, id: number) => h.pathOf(h.links.manageUrl(id)).split('/').pop()!],
    ['damaged', (h: WebHarness, id: number, paperId: number) => flipLast(h.pathOf(h.links.feedbackUrl(id, paperId, 'more')).split('/')[2]!)],
  ])('refuses a token that is %s (400) on every route and records nothing', async (_name, tokenFor) => {
    const token = tokenFor(h, ada.id, mambaId);
    const shown = await h.server.inject({ method: 'GET', url: `/feedback/${token}/${mambaId}/more` });
    expect(shown.statusCode).toBe(400);
    expect(shown.body).toContain('This link does not work');
    const form = await h.openForm('/');
    for (const action of ['more', 'less', 'undo']) {
      const posted = await h.post(`/feedback/${token}/${mambaId}/${action}`, { _csrf: form.csrf }, { cookie: form.cookie });
      expect(posted.statusCode).toBe(400);
    }
    expect(feedbackOfAda()).toEqual([]);
  });

  it('keeps the per-paper links of digests sent before one token per digest working: ask, record, undo', async () => {
    const legacyToken = h.tokens.sign({ purpose: 'feedback', subscriberId: ada.id, paperId: mambaId, expiresAt: null });
    const shown = await h.server.inject({ method: 'GET', url: `/feedback/${legacyToken}/more` });
    expect(shown.statusCode).toBe(200);
    expect(shown.body).toContain(`<form method="post" action="/feedback/${legacyToken}/more">`);
    const recorded = await h.submit(`/feedback/${legacyToken}/less`, {});
    expect(recorded.body).toContain(`<form method="post" action="/feedback/${legacyToken}/undo">`);
    expect(feedbackOfAda()).toEqual([{ paperId: mambaId, direction: 'less', at: h.clock.now().toISOString() }]);
    expect((await h.submit(`/feedback/${legacyToken}/undo`, {}, { formUrl: `/feedback/${legacyToken}/more` })).statusCode).toBe(200);
    expect(feedbackOfAda()).toEqual([]);
  });

  it('refuses a per-digest token without a paper, and a per-paper token with one (400), and records nothing', async () => {
    const digestToken = feedbackPath('more').split('/')[2]!;
    const legacyToken = h.tokens.sign({ purpose: 'feedback', subscriberId: ada.id, paperId: mambaId, expiresAt: null });
    for (const url of [`/feedback/${digestToken}/more`, `/feedback/${legacyToken}/${hostileId}/more`]) {
      expect((await h.server.inject({ method: 'GET', url })).statusCode).toBe(400);
      expect((await h.submit(url, {}, { formUrl: feedbackPath('more') })).statusCode).toBe(400);
    }
    expect(feedbackOfAda()).toEqual([]);
  });

  it('answers 404 to a paper id that is not a number', async () => {
    const digestToken = feedbackPath('more').split('/')[2]!;
    for (const paper of ['abc', '0', '-1', '1.5', '99999999999']) {
      expect((await h.server.inject({ method: 'GET', url: `/feedback/${digestToken}/${paper}/more` })).statusCode).toBe(404);
    }
  });

  it('answers 404 to a direction other than more or less, and records nothing', async () => {
    const prefix = feedbackPath('more').replace(/\/more$/, '');
    for (const direction of ['sideways', 'MORE', 'undo']) {
      const shown = await h.server.inject({ method: 'GET', url: `${prefix}/${direction}` });
      expect(shown.statusCode).toBe(404);
      expect(shown.body).toContain('Page not found');
    }
    const posted = await h.submit(`${prefix}/sideways`, {}, { formUrl: feedbackPath('more') });
    expect(posted.statusCode).toBe(404);
    expect(feedbackOfAda()).toEqual([]);
  });

  it('answers a paper papermail no longer keeps with a friendly 404 page and records nothing', async () => {
    const shown = await h.server.inject({ method: 'GET', url: feedbackPath('more', 999_999) });
    expect(shown.statusCode).toBe(404);
    expect(shown.body).toContain('This paper is no longer here');
    expect(shown.body).toContain(`href="${h.links.manageUrl(ada.id)}"`);
    const posted = await h.submit(feedbackPath('more', 999_999), {}, { formUrl: feedbackPath('more') });
    expect(posted.statusCode).toBe(404);
    expect(feedbackOfAda()).toEqual([]);
  });

  it('tells a subscriber who left, or was deleted, that they are not subscribed', async () => {
    const path = feedbackPath('more');
    const session = await h.openForm(path);
    for (const leave of [() => h.store.setSubscriberStatus(ada.id, 'unsubscribed', h.clock.now()), () => h.store.removeSubscriber('ada@example.org')]) {
      leave();
      const shown = await h.server.inject({ method: 'GET', url: path });
      expect(shown.statusCode).toBe(410);
      expect(shown.body).toContain('You are not subscribed');
      expect(shown.body).not.toContain('<button');
      expect((await h.post(path, { _csrf: session.csrf }, { cookie: session.cookie })).statusCode).toBe(410);
    }
    expect(h.store.feedbackOf(ada.id)).toEqual([]);
  });

  it('takes feedback from a paused subscriber', async () => {
    h.store.setSubscriberStatus(ada.id, 'paused', h.clock.now());
    expect((await h.submit(feedbackPath('less'), {})).statusCode).toBe(200);
    expect(feedbackOfAda()).toHaveLength(1);
  });

  it('escapes a hostile title on every page', async () => {
    const shown = await h.server.inject({ method: 'GET', url: feedbackPath('more', hostileId) });
    const recorded = await h.submit(feedbackPath('more', hostileId), {});
    const undone = await h.submit(undoPath(hostileId), {}, { formUrl: feedbackPath('more', hostileId) });
    for (const page of [shown, recorded, undone]) {
      expect(page.statusCode).toBe(200);
      expect(page.body).not.toContain('<script>');
      expect(page.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt; Attention &quot;is&quot; all');
    }
  });
});
