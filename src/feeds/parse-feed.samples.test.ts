import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PaperEntry } from '../domain.js';
import { describeError } from '../errors.js';
import { readSharedFeed, sharedFeedsAvailable, sharedFeedsSuite } from '../../test/support/shared-feeds.js';
import { FeedError } from './errors.js';
import { parseFeed, type ParsedFeed } from './parse-feed.js';

// Real third-party feeds, read in place from ../shared/feeds (provenance in its SOURCES.md).

async function parseSample(fileName: string): Promise<ParsedFeed> {
  return parseFeed(readSharedFeed(fileName), `file:../shared/feeds/${fileName}`);
}

async function sampleError(fileName: string): Promise<FeedError> {
  const error = await parseSample(fileName).then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(FeedError);
  return error as FeedError;
}

function countBy(entries: PaperEntry[], field: (entry: PaperEntry) => string | null): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const entry of entries) {
    const value = String(field(entry));
    counts[value] = (counts[value] ?? 0) + 1;
  }
  return counts;
}

describe.skipIf(!sharedFeedsAvailable)(sharedFeedsSuite('parseFeed on the rss.arxiv.org feed of all archives'), () => {
  let xml: Buffer;
  let feed: ParsedFeed;
  let parseMs: number;

  beforeAll(async () => {
    xml = gunzipSync(readSharedFeed('arxiv-rss2-all-archives-2024-11-28.xml.gz'));
    const start = performance.now();
    feed = await parseFeed(xml, 'https://rss.arxiv.org/rss/astro-ph+cs');
    parseMs = performance.now() - start;
  });

  it('reads all 1,504 items: 926 new, 569 replace, 9 cross', () => {
    expect(feed.format).toBe('rss');
    expect(feed.entries).toHaveLength(1504);
    expect(countBy(feed.entries, (entry) => entry.announceType)).toEqual({ new: 926, replace: 569, cross: 9 });
  });

  it('parses in well under a second', () => {
    expect(parseMs).toBeLessThan(1000);
  });

  it('keys every paper by its arXiv id without version, one key per guid', () => {
    const guidIds = [...xml.toString('utf8').matchAll(/oai:arXiv\.org:([^<\s]+?)v\d+</g)].map((match) => `arxiv:${match[1]}`);
    expect(guidIds).toHaveLength(1504);
    expect(feed.entries.map((entry) => entry.key)).toEqual(guidIds);
    const keeVash = feed.entries.find((entry) => entry.arxivId === '1401.3665');
    expect(keeVash).toMatchObject({ key: 'arxiv:1401.3665', announceType: 'replace', url: 'https://arxiv.org/abs/1401.3665' });
  });

  it('collapses versions of one paper into one entry when a feed lists both', async () => {
    const text = xml.toString('utf8');
    const firstItem = /<item>[\s\S]*?<\/item>/.exec(text)?.[0] ?? '';
    const replaced = firstItem.replace(/(oai:arXiv\.org:\d+\.\d+)v1/, '$1v2').replace('Announce Type: new', 'Announce Type: replace');
    const doubled = await parseFeed(text.replace(firstItem, firstItem + replaced), 'https://rss.arxiv.org/rss/all');
    expect(doubled.entries).toHaveLength(1504);
    expect(doubled.entries[0]?.key).toBe('arxiv:2411.17700');
  });

  it('strips the announcement preamble from every abstract', () => {
    expect(feed.entries.filter((entry) => /^arXiv:|Announce Type:/.test(entry.abstract))).toEqual([]);
    expect(feed.entries.every((entry) => entry.abstract.length > 0)).toBe(true);
  });

  it('splits dc:creator into names without affiliations, with TeX accents decoded', () => {
    const authors = feed.entries.flatMap((entry) => entry.authors);
    expect(feed.entries.every((entry) => entry.authors.length > 0)).toBe(true);
    expect(authors.filter((name) => /[(){}\\]|,| and /.test(name))).toEqual([]);
    expect(authors).toContain('Benjamin Rémy');
    expect(authors).toContain('Przemysław Olbratowski');
  });

  it('reads DOIs, including the ones arXiv repeats', () => {
    const withDoi = feed.entries.filter((entry) => entry.doi !== null);
    expect(withDoi).toHaveLength(111);
    expect(withDoi.map((entry) => entry.doi)).toContain('10.3847/1538-4357/ad8659');
    expect(withDoi.every((entry) => entry.key.startsWith('arxiv:'))).toBe(true);
  });

  it('links every paper to arXiv abstract, PDF and Hugging Face pages', () => {
    const [first] = feed.entries;
    expect(first).toMatchObject({
      title: "Exploring the Impact of Generative AI on Cross-Border E-Commerce Brand Building in Chinese Tianjin's Manufacturing Sector",
      authors: ['Jun Cui'],
      url: 'https://arxiv.org/abs/2411.17700',
      pdfUrl: 'https://arxiv.org/pdf/2411.17700',
      hfUrl: 'https://huggingface.co/papers/2411.17700',
      categories: ['cs.CY'],
      publishedAt: '2024-11-28T05:00:00.000Z',
      trending: 0.5,
    });
  });
});

describe.skipIf(!sharedFeedsAvailable)(sharedFeedsSuite('parseFeed on other real arXiv documents'), () => {
  it('gives the empty weekend feed no entries', async () => {
    const feed = await parseSample('arxiv-rss2-empty-feed-2024-11-28.xml');
    expect(feed).toEqual({ format: 'rss', title: 'test updates on arXiv.org', entries: [] });
  });

  it('throws feed-error for the bad-archive error feed, with the valid archive names', async () => {
    const error = await sampleError('arxiv-rss2-error-bad-archive-2024-11-28.xml');
    expect(error.kind).toBe('feed-error');
    expect(error.message).toMatch(/^arXiv feed error at file:.*: Feed error for query: http:\/\/rss\.arxiv\.org\/rss\/astroph: Bad archive 'astroph'\. Valid archive names are: astro-ph/);
  });

  it('throws malformed for the truncated cs.AI Atom feed instead of returning a partial list', async () => {
    const error = await sampleError('arxiv-atom-cs.AI-2025-08-20-truncated.xml');
    expect(error.kind).toBe('malformed');
    expect(error.message).toMatch(/^malformed atom XML at .*Unclosed root tag Line: 1232/);
    expect(describeError(error)).toBe(error.message);
  });

  it('reads the arXiv API search response with DOIs, PDF links and primary categories', async () => {
    const feed = await parseSample('arxiv-api-atom-search-testing-2026-04-12.xml');
    expect(feed.format).toBe('atom');
    expect(feed.entries).toHaveLength(10);
    expect(feed.entries.every((entry) => /^arxiv:\d{4}\.\d{4,5}$/.test(entry.key))).toBe(true);
    expect(feed.entries[0]).toMatchObject({
      key: 'arxiv:2202.12139',
      title: 'Testing Deep Learning Models: A First Comparative Study of Multiple Testing Techniques',
      authors: ['Mohit Kumar Ahuja', 'Arnaud Gotlieb', 'Helge Spieker'],
      doi: '10.1109/icstw55395.2022.00035',
      categories: ['cs.SE', 'cs.LG'],
      pdfUrl: 'https://arxiv.org/pdf/2202.12139',
      publishedAt: '2022-02-24T15:05:19.000Z',
      announceType: null,
    });
    expect(feed.entries[1]?.authors).toContain('Aurora Ramírez');
  });

  it('throws feed-error for the API error document instead of reading a paper titled "Error"', async () => {
    const error = await sampleError('arxiv-api-atom-error-400-bad-id.xml');
    expect(error.kind).toBe('feed-error');
    expect(error.message).toMatch(/^arXiv API error at .*: incorrect id format for abc$/);
  });
});

describe.skipIf(!sharedFeedsAvailable)(sharedFeedsSuite('parseFeed on real Hugging Face feeds'), () => {
  it('reads the daily-papers API list with upvotes as the trending signal', async () => {
    const feed = await parseSample('hf-daily-papers-api-2024-10-25.json');
    expect(feed.format).toBe('hf-daily-papers');
    expect(feed.entries).toHaveLength(29);
    expect(feed.entries[0]).toMatchObject({
      key: 'arxiv:2410.17243',
      title: 'Breaking the Memory Barrier: Near Infinite Batch Size Scaling for Contrastive Loss',
      upvotes: 64,
      trending: 1,
      hfUrl: 'https://huggingface.co/papers/2410.17243',
      url: 'https://arxiv.org/abs/2410.17243',
    });
    const trending = feed.entries.map((entry) => entry.trending);
    expect(trending).toEqual([...trending].sort((a, b) => b - a));
    expect(trending.every((value) => value > 0 && value <= 1)).toBe(true);
    expect(feed.entries.every((entry) => !/\n/.test(entry.title) && !/\n/.test(entry.abstract))).toBe(true);
  });

  it('names authors whose avatar is hidden', async () => {
    const feed = await parseSample('hf-daily-papers-api-2024-10-25.json');
    expect(feed.entries.find((entry) => entry.arxivId === '2410.17897')?.authors).toContain('Zhanchao Zhou');
  });

  it('splits the community RSS descriptions into AI summary and abstract', async () => {
    const feed = await parseSample('hf-papers-community-rss2-rfeed.xml');
    expect(feed).toMatchObject({ format: 'rss', title: 'Hugging Face Papers' });
    expect(feed.entries).toHaveLength(26);
    expect(feed.entries.filter((entry) => entry.aiSummary !== null)).toHaveLength(25);
    expect(feed.entries.filter((entry) => /^Abstract|Generated by/.test(entry.abstract))).toEqual([]);
    expect(feed.entries[0]).toMatchObject({
      key: 'arxiv:2608.19880',
      title: 'EnvHarness: Awakening Static Worlds for Agent Learning',
      aiSummary:
        'EnvHarness and EnvRigger dynamically reshape static environments via programmable plugins to target agent weaknesses and improve reinforcement learning co-evolution.',
      hfUrl: 'https://huggingface.co/papers/2608.19880',
      trending: 0.5,
    });
    expect(feed.entries[0]?.abstract).toMatch(/^LLM agents learn by interacting with environments/);
  });
});

describe.skipIf(!sharedFeedsAvailable)(sharedFeedsSuite('parseFeed on odd real feeds'), () => {
  it('decodes the ISO-8859-1 feed: "Notícias", CDATA titles, HTML-free descriptions, CRLF dates', async () => {
    const feed = await parseSample('odd-rss2-iso-8859-1-cdata-crlf.rss');
    expect(feed.title).toBe('Jornal de Notícias - Últimas Notícias');
    expect(feed.entries).toHaveLength(40);
    expect(feed.entries[0]).toMatchObject({
      title: 'Mãe de utente é a nova presidente da Raríssimas',
      categories: ['Nacional'],
      publishedAt: '2018-01-03T13:47:00.000Z',
    });
    expect(feed.entries[0]?.abstract).toMatch(/^Sónia Laygue, profissional na área/);
    expect(feed.entries.filter((entry) => /<img|&lt;|\uFFFD/.test(entry.title + entry.abstract))).toEqual([]);
  });

  it('skips the Atom entry that has only an id, without failing', async () => {
    expect(await parseSample('odd-atom-entry-only-id.atom')).toEqual({ format: 'atom', title: null, entries: [] });
  });

  it('throws not-a-feed for the HTML "Document Moved" page', async () => {
    const error = await sampleError('odd-html-not-a-feed.rss');
    expect(error.kind).toBe('not-a-feed');
    expect(error.message).toMatch(/^not a feed \(HTML page\) at /);
  });

  it('reads the RSS 1.0 (RDF) journal feed, keyed by DOI', async () => {
    const feed = await parseSample('odd-rss1-rdf-science-journal.rss');
    expect(feed).toMatchObject({ format: 'rdf', title: 'Science twis' });
    expect(feed.entries).toHaveLength(69);
    expect(feed.entries.every((entry) => entry.key.startsWith('doi:10.1126/science.'))).toBe(true);
    expect(feed.entries[0]).toMatchObject({
      key: 'doi:10.1126/science.356.6343.1134-a',
      title: 'Food for fungi',
      authors: ['Hines, P. J.'],
      categories: ['Botany', 'Microbiology'],
      url: 'http://science.sciencemag.org/cgi/content/short/356/6343/1134-a?rss=1',
      hfUrl: null,
    });
  });
});
