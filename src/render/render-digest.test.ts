import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Digest, Paper, RankedPaper, Subscriber } from '../domain.js';
import { RenderError } from './errors.js';
import { compileDigestRenderer, type DigestLinks, type DigestRenderer } from './render-digest.js';
import { PAPERS } from './testdata/papers.js';

const TEMPLATES_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));
const SITE = 'https://papers.example.org';
const LINKS: DigestLinks = {
  manageUrl: `${SITE}/preferences/tok-manage-1`,
  unsubscribeUrl: `${SITE}/unsubscribe/tok-unsub-1`,
};
const RESIDUE = /%%|\{\{|\}\}|\bundefined\b|\bnull\b|\bNaN\b|\[object Object\]/;

function subscriber(id: number): Subscriber {
  return {
    id,
    email: `reader${id}@example.net`,
    status: 'active',
    interests: { topics: ['efficient-architectures'], keywords: ['mamba'], excluded: [] },
    digestSize: 10,
    createdAt: '2026-11-01T00:00:00.000Z',
    confirmedAt: '2026-11-01T00:00:00.000Z',
  };
}

function ranked(paper: Paper, reasons: string[] = ['Efficient architectures', 'mamba']): RankedPaper {
  return { paper, score: 0.8, relevance: 0.7, trending: paper.trending, reasons };
}

function digestOf(papers: readonly Paper[], options: { subscriberId?: number; reasons?: string[] } = {}): Digest {
  return { subscriber: subscriber(options.subscriberId ?? 1), date: '2026-12-03', papers: papers.map((paper) => ranked(paper, options.reasons)) };
}

function paper(overrides: Partial<Paper>): Paper {
  return { ...PAPERS[0]!, ...overrides };
}

function hrefs(html: string): string[] {
  return [...html.matchAll(/href="([^"]*)"/g)].map((match) => match[1]!);
}

describe('compileDigestRenderer', () => {
  let renderer: DigestRenderer;
  beforeAll(async () => {
    renderer = await compileDigestRenderer({ siteUrl: SITE });
  });

  it('puts the date and the paper count in the subject and the header', () => {
    const email = renderer.render(digestOf(PAPERS.slice(0, 8)), LINKS);
    expect(email.subject).toBe('Trending papers · Thu 3 Dec · 8 new');
    expect(email.html).toContain('Trending papers for Thu 3 Dec 2026 · 8 papers');
    expect(email.text.split('\n')[0]).toBe('Trending papers for Thu 3 Dec 2026 · 8 papers');
  });

  it('shows each paper with its linked title, shortened authors, snippet, links and reasons', () => {
    const decisionTransformer = PAPERS.find((p) => p.arxivId === '2106.01345')!;
    const { html } = renderer.render(digestOf([decisionTransformer]), LINKS);
    expect(html).toContain(
      '<a href="https://arxiv.org/abs/2106.01345" style="color:#111827;text-decoration:none">Decision Transformer: Reinforcement Learning via Sequence Modeling</a>',
    );
    expect(html).toContain('L. Chen, K. Lu, A. Rajeswaran et al.');
    expect(html).toContain('We introduce a framework that abstracts Reinforcement Learning (RL) as a sequence modeling problem.');
    expect(hrefs(html)).toEqual([
      'https://arxiv.org/abs/2106.01345',
      'https://arxiv.org/abs/2106.01345',
      'https://arxiv.org/pdf/2106.01345',
      'https://huggingface.co/papers/2106.01345',
      'https://github.com/kzl/decision-transformer',
      LINKS.manageUrl,
      LINKS.unsubscribeUrl,
      `${SITE}/`,
    ]);
    expect(html).toContain('Matches: Efficient architectures · mamba — Trending: 120 upvotes');
  });

  it('says in the footer how to manage or leave and why the reader gets this email', () => {
    const { html, text } = renderer.render(digestOf(PAPERS.slice(0, 1)), LINKS);
    expect(html).toContain(`<a href="${LINKS.manageUrl}" style="color:#6b7280;text-decoration:underline">Manage preferences</a>`);
    expect(html).toContain(`<a href="${LINKS.unsubscribeUrl}" style="color:#6b7280;text-decoration:underline">Unsubscribe</a>`);
    expect(html).toContain('You get this because you subscribed to the daily digest at <a href="https://papers.example.org/"');
    expect(text).toContain(`Unsubscribe: ${LINKS.unsubscribeUrl}\n`);
    expect(text).toContain('You get this because you subscribed to the daily digest at https://papers.example.org/');
  });

  it('escapes markup and quotes from feeds in titles, authors, abstracts and reasons', () => {
    const hostile = paper({
      id: 900,
      title: '<script>alert("title")</script> & Friends\' "Attention"',
      authors: ['Robert "Bobby" <b>Tables</b>', "O'Brien <img src=x onerror=alert(1)>"],
      abstract: 'A result that closes </div></td></tr></table> early and opens <iframe src="https://evil.example">.',
      url: 'https://example.org/paper?a=1&b="2"<x>',
    });
    const { html } = renderer.render(digestOf([hostile], { reasons: ['<i>RLHF</i>', 'x" onmouseover="alert(1)'] }), LINKS);
    expect(html).not.toMatch(/<(script|b|i|img|iframe)\b/i);
    // No tag gained an event handler attribute: every tag's attributes are the template's own.
    expect(html).not.toMatch(/<[^>]*\son\w+=/i);
    expect(html).toContain('&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt; &amp; Friends&#39; &quot;Attention&quot;');
    expect(html).toContain('&lt;i&gt;RLHF&lt;/i&gt;');
    // Quotes and angle brackets in a URL are percent-encoded, the ampersand escaped: the attribute stays closed.
    expect(hrefs(html)).toContain('https://example.org/paper?a=1&amp;b=%222%22%3Cx%3E');
  });

  it('drops javascript:, data: and relative URLs instead of linking them', () => {
    const sneaky = paper({
      id: 901,
      url: 'javascript:alert(document.cookie)',
      codeUrl: 'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
      projectUrl: '//evil.example/phish',
      hfUrl: ' JaVaScRiPt:alert(1)',
    });
    const { html, text } = renderer.render(digestOf([sneaky]), LINKS);
    for (const href of hrefs(html)) expect(href).toMatch(/^https?:\/\//);
    expect(html).not.toMatch(/javascript:|data:text|evil\.example/i);
    expect(text).not.toMatch(/javascript:|data:text|evil\.example/i);
    expect(html).toContain(`>${'MSViT: Dynamic Mixed-Scale Tokenization for Vision Transformers'}</div>`);
  });

  it('leaves no template residue, even for papers missing every optional field', () => {
    const bare = paper({
      id: 902,
      arxivId: null,
      abstract: '',
      aiSummary: null,
      authors: [],
      pdfUrl: null,
      hfUrl: null,
      codeUrl: null,
      projectUrl: null,
      upvotes: null,
    });
    const summarized = paper({ id: 903, title: 'Only an AI summary', abstract: '', aiSummary: 'A one-line summary from Hugging Face.' });
    const digest = digestOf([bare, summarized, ...PAPERS], { reasons: [] });
    const email = renderer.render(digest, LINKS);
    for (const part of [email.subject, email.html, email.text]) expect(part).not.toMatch(RESIDUE);
    expect(email.html).toContain('A one-line summary from Hugging Face.');
  });

  it('writes a plain-text part meant for reading, not stripped HTML', () => {
    const { text } = renderer.render(digestOf(PAPERS.slice(0, 3)), LINKS);
    expect(text.slice(0, text.indexOf('\n2. '))).toBe(
      [
        'Trending papers for Thu 3 Dec 2026 · 3 papers',
        '',
        '1. MSViT: Dynamic Mixed-Scale Tokenization for Vision Transformers',
        '   J. D. Havtorn, A. Royer, T. Blankevoort et al.',
        '',
        '   The input tokens to Vision Transformers carry little semantic meaning',
        '   as they are defined as regular equal-sized patches of the input',
        '   image, regardless of its content. However, processing uniform',
        '   background areas of an image should not necessitate as much compute',
        '   as dense, cluttered areas. To…',
        '',
        '   arXiv: https://arxiv.org/abs/2307.02321',
        '   PDF: https://arxiv.org/pdf/2307.02321',
        '   Hugging Face: https://huggingface.co/papers/2307.02321',
        '   Matches: Efficient architectures · mamba — Trending: 42 upvotes',
        '',
      ].join('\n'),
    );
    expect(text).toMatch(/^2\. Behavior Generation with Latent Actions\n   S\. Lee, Y\. Wang, H\. Etukuru et al\.\n/m);
    expect(text).toMatch(/^   Project: https:\/\/sjlee\.cc\/vq-bet\/$/m);
    expect(text).toMatch(/^3\. Decision Transformer/m);
    expect(text).not.toMatch(/<[a-z/]/i);
    for (const line of text.split('\n')) if (!line.includes('://')) expect(line.length).toBeLessThanOrEqual(72);
    expect(text.endsWith(`-- \nManage your preferences: ${LINKS.manageUrl}\nUnsubscribe: ${LINKS.unsubscribeUrl}\n\nYou get this because you subscribed to the daily digest at ${SITE}/\n`)).toBe(true);
  });

  it('keeps a 10-paper digest well under the 102 KB where Gmail clips', () => {
    const { html } = renderer.render(digestOf(PAPERS.slice(0, 10)), LINKS);
    expect(Buffer.byteLength(html)).toBeLessThan(50_000);
  });

  it('fills reasons per subscriber while sharing the paper between digests', () => {
    const shared = PAPERS[2]!;
    const first = renderer.render(digestOf([shared], { subscriberId: 1, reasons: ['Reinforcement learning'] }), LINKS);
    const second = renderer.render(digestOf([shared], { subscriberId: 2, reasons: ['decision transformer'] }), {
      manageUrl: `${SITE}/preferences/tok-manage-2`,
      unsubscribeUrl: `${SITE}/unsubscribe/tok-unsub-2`,
    });
    expect(first.html).toContain('Matches: Reinforcement learning —');
    expect(first.html).not.toContain('decision transformer —');
    expect(second.html).toContain('Matches: decision transformer —');
    expect(second.html).not.toContain('Reinforcement learning');
    expect(second.html).not.toContain('tok-unsub-1');
  });

  it('shows a paper anew when a later run knows more about it', () => {
    const before = paper({ id: 904, hfUrl: null, upvotes: null });
    renderer.render(digestOf([before]), LINKS);
    const after = { ...before, hfUrl: 'https://huggingface.co/papers/2307.02321', upvotes: 300 };
    const { html } = renderer.render(digestOf([after]), LINKS);
    expect(hrefs(html)).toContain('https://huggingface.co/papers/2307.02321');
    expect(html).toContain('Trending: 300 upvotes');
  });

  it('refuses a digest without papers, and one whose unsubscribe link would not work', () => {
    expect(() => renderer.render(digestOf([]), LINKS)).toThrow(RenderError);
    expect(() => renderer.render(digestOf(PAPERS.slice(0, 1)), { ...LINKS, unsubscribeUrl: 'javascript:void(0)' })).toThrow(/unsubscribe link/);
    expect(() => renderer.render({ ...digestOf(PAPERS.slice(0, 1)), date: '2026-02-30' }, LINKS)).toThrow(/not a YYYY-MM-DD calendar date/);
  });
});

describe('compileDigestRenderer with a broken template', () => {
  let dir: string;
  let template: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'papermail-templates-'));
    template = await readFile(path.join(TEMPLATES_DIR, 'digest.mjml'), 'utf8');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('fails strict validation at start-up, naming the template and the error', async () => {
    await writeFile(path.join(dir, 'digest.mjml'), template.replace('<mj-text font-size="13px"', '<mj-text colour="red" font-size="13px"'));
    const compiling = compileDigestRenderer({ siteUrl: SITE, templatesDir: dir });
    await expect(compiling).rejects.toThrow(RenderError);
    await expect(compiling).rejects.toThrow(new RegExp(`template ${path.join(dir, 'digest.mjml')} is invalid: .*colour`));
  });

  it('fails on a placeholder the renderer does not fill', async () => {
    await writeFile(path.join(dir, 'digest.mjml'), template.replace('%%HEADING%%', '%%HEADLINE%%'));
    await expect(compileDigestRenderer({ siteUrl: SITE, templatesDir: dir })).rejects.toThrow(/unknown placeholders: %%HEADLINE%%/);
  });

  it('fails without the paper block', async () => {
    await writeFile(path.join(dir, 'digest.mjml'), template.replace('<mj-raw>%%PAPER_END%%</mj-raw>', ''));
    await expect(compileDigestRenderer({ siteUrl: SITE, templatesDir: dir })).rejects.toThrow(/needs exactly one %%PAPER_START%%/);
  });

  it('fails when the template is missing', async () => {
    await expect(compileDigestRenderer({ siteUrl: SITE, templatesDir: path.join(dir, 'nowhere') })).rejects.toThrow(/cannot read template/);
  });

  it('refuses a site URL that is not http(s)', async () => {
    await expect(compileDigestRenderer({ siteUrl: 'ftp://papers.example.org' })).rejects.toThrow(RenderError);
  });
});
