import { describe, expect, it } from 'vitest';
import { FeedError } from './errors.js';
import { parseFeed } from './parse-feed.js';

const URL = 'https://feeds.example.org/papers';

function rss(items: string, channel = '<title>Papers</title>'): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>${channel}${items}</channel></rss>`;
}

function arxivItem(id: string, version: number, title = `Paper ${id}`): string {
  return `<item><title>${title}</title><link>https://arxiv.org/abs/${id}</link>
<description>arXiv:${id}v${version} Announce Type: ${version > 1 ? 'replace' : 'new'} 
Abstract: About ${id}.</description><guid isPermaLink="false">oai:arXiv.org:${id}v${version}</guid>
<category>cs.LG</category><arxiv:announce_type>${version > 1 ? 'replace' : 'new'}</arxiv:announce_type>
<dc:creator>Ann Lee, Bo Chen and Cy Diaz</dc:creator></item>`;
}

async function parseError(body: string | Buffer): Promise<FeedError> {
  const error = await parseFeed(body, URL).then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(FeedError);
  return error as FeedError;
}

describe('parseFeed on RSS 2.0', () => {
  it('reads an arXiv-style RSS feed into entries in feed order', async () => {
    const feed = await parseFeed(rss(arxivItem('2411.17700', 1) + arxivItem('2411.17701', 1)), URL);
    expect(feed.format).toBe('rss');
    expect(feed.title).toBe('Papers');
    expect(feed.entries.map((entry) => entry.key)).toEqual(['arxiv:2411.17700', 'arxiv:2411.17701']);
    expect(feed.entries[0]).toMatchObject({
      abstract: 'About 2411.17700.',
      authors: ['Ann Lee', 'Bo Chen', 'Cy Diaz'],
      categories: ['cs.LG'],
      announceType: 'new',
    });
  });

  it('collapses two versions of one paper into one entry, keeping the first', async () => {
    const feed = await parseFeed(rss(arxivItem('2106.01345', 1, 'First') + arxivItem('2106.01345', 2, 'Second')), URL);
    expect(feed.entries).toHaveLength(1);
    expect(feed.entries[0]).toMatchObject({ key: 'arxiv:2106.01345', title: 'First' });
  });

  it('scores position: the first item highest, never above 0.5', async () => {
    const items = ['2411.00001', '2411.00002', '2411.00003', '2411.00004'].map((id) => arxivItem(id, 1)).join('');
    const feed = await parseFeed(rss(items), URL);
    expect(feed.entries.map((entry) => entry.trending)).toEqual([0.5, 0.375, 0.25, 0.125]);
  });

  it('gives an empty channel no entries', async () => {
    const feed = await parseFeed(rss(''), URL);
    expect(feed.entries).toEqual([]);
  });

  it('keeps a literal <script> typed in a title as text and strips HTML from descriptions', async () => {
    const item = `<item><title>Detecting &lt;script&gt; injection</title><link>https://example.org/p/1</link>
<description>&lt;p&gt;We &lt;b&gt;detect&lt;/b&gt; it.&lt;img src="https://example.org/pixel.gif"/&gt;&lt;/p&gt;</description></item>`;
    const feed = await parseFeed(rss(item), URL);
    expect(feed.entries[0]).toMatchObject({ title: 'Detecting <script> injection', abstract: 'We detect it.' });
  });

  it('accepts HTML entities that XML does not define', async () => {
    const item = '<item><title>Caf&eacute;&nbsp;networks</title><link>https://example.org/p/2</link></item>';
    const feed = await parseFeed(rss(item), URL);
    expect(feed.entries[0]?.title).toBe('Café networks');
  });

  it('skips items without a title instead of failing the feed', async () => {
    const feed = await parseFeed(rss('<item><link>https://example.org/p/3</link></item>' + arxivItem('2411.17700', 1)), URL);
    expect(feed.entries.map((entry) => entry.key)).toEqual(['arxiv:2411.17700']);
  });

  it('takes a PDF enclosure as the PDF link', async () => {
    const item = `<item><title>T</title><link>https://example.org/p/4</link>
<enclosure url="https://example.org/p/4.pdf" type="application/pdf" length="10"/></item>`;
    const feed = await parseFeed(rss(item), URL);
    expect(feed.entries[0]?.pdfUrl).toBe('https://example.org/p/4.pdf');
  });
});

describe('parseFeed on Atom and RDF', () => {
  it('reads Atom entries with their authors, PDF link, DOI and primary category first', async () => {
    const atom = `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">
<title>Query</title>
<entry><id>http://arxiv.org/abs/2202.12139v1</id><title>Testing Deep Learning Models</title>
<link href="https://arxiv.org/abs/2202.12139v1" rel="alternate" type="text/html"/>
<link href="https://arxiv.org/pdf/2202.12139v1" rel="related" type="application/pdf" title="pdf"/>
<summary>Deep Learning
has revolutionized things.</summary>
<category term="cs.LG"/><category term="cs.SE"/><arxiv:primary_category term="cs.SE"/>
<published>2022-02-24T15:05:19Z</published>
<author><name>Mohit Kumar Ahuja</name></author><author><name>Arnaud Gotlieb</name></author>
<arxiv:doi>10.1109/ICSTW55395.2022.00035</arxiv:doi></entry></feed>`;
    const feed = await parseFeed(atom, URL);
    expect(feed).toMatchObject({ format: 'atom', title: 'Query' });
    expect(feed.entries[0]).toMatchObject({
      key: 'arxiv:2202.12139',
      doi: '10.1109/icstw55395.2022.00035',
      abstract: 'Deep Learning has revolutionized things.',
      authors: ['Mohit Kumar Ahuja', 'Arnaud Gotlieb'],
      categories: ['cs.SE', 'cs.LG'],
      pdfUrl: 'https://arxiv.org/pdf/2202.12139',
      publishedAt: '2022-02-24T15:05:19.000Z',
    });
  });

  it('reads an Atom entry of another site by its alternate link', async () => {
    const atom = `<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>tag:example.org,2024:1</id>
<title type="html">A &lt;i&gt;new&lt;/i&gt; result</title><link rel="self" href="https://example.org/api/1"/>
<link href="https://example.org/posts/1"/></entry></feed>`;
    const feed = await parseFeed(atom, URL);
    expect(feed.entries[0]).toMatchObject({ key: 'url:https://example.org/posts/1', title: 'A new result' });
  });

  it('recognizes RSS 1.0 by its rdf:RDF root', async () => {
    const rdf = `<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
<channel rdf:about="https://example.org/"><title>Journal</title></channel>
<item rdf:about="https://example.org/a/1"><title>Article</title><link>https://example.org/a/1</link></item>
</rdf:RDF>`;
    const feed = await parseFeed(rdf, URL);
    expect(feed).toMatchObject({ format: 'rdf', title: 'Journal' });
    expect(feed.entries.map((entry) => entry.url)).toEqual(['https://example.org/a/1']);
  });
});

describe('parseFeed on Hugging Face daily papers', () => {
  const item = (id: string, upvotes: number, extra: Record<string, unknown> = {}) => ({
    paper: {
      id,
      title: `Paper\n  ${id}`,
      summary: `About\n${id}.`,
      authors: [{ name: 'Ann Lee', hidden: false }, { name: 'Bo Chen', hidden: true }],
      publishedAt: '2024-10-22T17:59:30.000Z',
      upvotes,
      ...extra,
    },
    title: `Paper ${id}`,
  });

  it('reads the newer fields: AI summary, keywords, code and project pages', async () => {
    const body = JSON.stringify([
      item('2410.17243', 64, {
        ai_summary: 'A one-line summary.',
        ai_keywords: ['contrastive loss', 'tiling'],
        githubRepo: 'https://github.com/example/repo',
        projectPage: 'https://example.github.io/project',
      }),
    ]);
    const feed = await parseFeed(body, URL);
    expect(feed.format).toBe('hf-daily-papers');
    expect(feed.entries[0]).toEqual({
      key: 'arxiv:2410.17243',
      arxivId: '2410.17243',
      doi: null,
      title: 'Paper 2410.17243',
      abstract: 'About 2410.17243.',
      authors: ['Ann Lee', 'Bo Chen'],
      url: 'https://arxiv.org/abs/2410.17243',
      pdfUrl: 'https://arxiv.org/pdf/2410.17243',
      hfUrl: 'https://huggingface.co/papers/2410.17243',
      codeUrl: 'https://github.com/example/repo',
      projectUrl: 'https://example.github.io/project',
      categories: [],
      keywords: ['contrastive loss', 'tiling'],
      aiSummary: 'A one-line summary.',
      publishedAt: '2024-10-22T17:59:30.000Z',
      upvotes: 64,
      trending: 1,
      announceType: null,
    });
  });

  it('scores upvotes on a log scale against the feed maximum, with a floor for zero votes', async () => {
    const feed = await parseFeed(JSON.stringify([item('2410.00001', 63), item('2410.00002', 7), item('2410.00003', 0)]), URL);
    const [top, middle, bottom] = feed.entries.map((entry) => entry.trending);
    expect(top).toBe(1);
    expect(middle).toBeCloseTo(0.5, 5);
    expect(bottom).toBe(0.05);
  });

  it('accepts an object holding the list', async () => {
    const feed = await parseFeed(JSON.stringify({ papers: [item('2410.00001', 3)], count: 1 }), URL);
    expect(feed.entries.map((entry) => entry.key)).toEqual(['arxiv:2410.00001']);
  });

  it('skips items that are not papers and keeps the rest', async () => {
    const feed = await parseFeed(JSON.stringify([{ paper: { title: 'no id' } }, item('2410.00001', 3)]), URL);
    expect(feed.entries).toHaveLength(1);
  });

  it('reads an empty list as a feed with no entries', async () => {
    expect(await parseFeed('[]', URL)).toEqual({ format: 'hf-daily-papers', title: null, entries: [] });
  });
});

describe('parseFeed on text encodings', () => {
  it('decodes an ISO-8859-1 body by its XML declaration', async () => {
    const body = Buffer.from(
      '<?xml version="1.0" encoding="ISO-8859-1"?><rss version="2.0"><channel><title>Notícias</title>' +
        '<item><title>Mãe é presidente</title><link>https://example.org/n/1</link></item></channel></rss>',
      'latin1',
    );
    const feed = await parseFeed(body, URL);
    expect(feed.title).toBe('Notícias');
    expect(feed.entries[0]?.title).toBe('Mãe é presidente');
  });

  it('decodes windows-1252 punctuation', async () => {
    const head = Buffer.from('<?xml version="1.0" encoding="windows-1252"?><rss version="2.0"><channel><title>', 'latin1');
    const tail = Buffer.from('</title></channel></rss>', 'latin1');
    const feed = await parseFeed(Buffer.concat([head, Buffer.from([0x93, 0x51, 0x94, 0x20, 0x96, 0x20, 0x80]), tail]), URL);
    expect(feed.title).toBe('\u201cQ\u201d \u2013 \u20ac');
  });

  it('decodes UTF-8 with a byte order mark', async () => {
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(rss('', '<title>Café</title>'))]);
    expect((await parseFeed(body, URL)).title).toBe('Café');
  });

  it('uses the HTTP charset when the document declares none', async () => {
    const body = Buffer.from('<rss version="2.0"><channel><title>Café</title></channel></rss>', 'latin1');
    const feed = await parseFeed(body, URL, { contentType: 'application/rss+xml; charset=ISO-8859-1' });
    expect(feed.title).toBe('Café');
  });
});

describe('parseFeed on things that are not feeds', () => {
  it.each([
    ['an HTML page', '<!DOCTYPE html><html><head><title>Moved</title></head><body></body></html>', 'not-a-feed', /^not a feed \(HTML page\) at https:\/\/feeds\.example\.org\/papers/],
    ['an HTML fragment', '<head><title>Document Moved</title></head><body>here</body>', 'not-a-feed', /HTML page/],
    ['another XML vocabulary', '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>', 'not-a-feed', /XML root <svg>/],
    ['plain text', 'Service Unavailable', 'not-a-feed', /neither XML nor JSON/],
    ['an empty body', '  \n', 'not-a-feed', /an empty body/],
    ['JSON of another kind', '{"items":[{"name":"x"}]}', 'not-a-feed', /not a Hugging Face daily-papers list/],
    ['truncated JSON', '[{"paper":{"id":"2410.17243"', 'malformed', /^malformed JSON at/],
    ['truncated RSS', rss(arxivItem('2411.17700', 1)).slice(0, 400), 'malformed', /^malformed rss XML at .*Unclosed root tag/],
    ['XML with a mismatched tag', '<rss version="2.0"><channel><title>x</channel></rss>', 'malformed', /^malformed rss XML at/],
  ])('throws %s as %s', async (_case, body, kind, message) => {
    const error = await parseError(body);
    expect(error.kind).toBe(kind);
    expect(error.url).toBe(URL);
    expect(error.message).toMatch(message);
  });

  it('throws feed-error for an arXiv "Feed error for query" channel', async () => {
    const error = await parseError(rss('', '<title>Feed error for query: http://rss.arxiv.org/rss/astroph</title><description>Bad archive.</description>'));
    expect(error.kind).toBe('feed-error');
    expect(error.message).toBe(`arXiv feed error at ${URL}: Feed error for query: http://rss.arxiv.org/rss/astroph: Bad archive.`);
  });
});
