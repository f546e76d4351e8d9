import he from 'he';
import Parser from 'rss-parser';
import { collapseWhitespace } from './plain-text.js';
import { FeedError } from './errors.js';
import type { PaperDraft } from './normalize-paper.js';

export type XmlFeedFormat = 'rss' | 'atom' | 'rdf';

export interface XmlFeed {
  format: XmlFeedFormat;
  title: string | null;
  drafts: PaperDraft[];
}

type Item = Record<string, unknown>;

// Extra item fields beyond rss-parser's defaults. `keepArray` keeps every element with its
// attributes (Atom links carry rel/type/title: the arXiv API marks its PDF link title="pdf").
const ITEM_FIELDS: (string | { keepArray: boolean })[][] = [
  ['arxiv:announce_type', 'announceType'],
  ['dc:creator', 'creatorNodes', { keepArray: true }],
  ['author', 'authorNodes', { keepArray: true }],
  ['link', 'linkNodes', { keepArray: true }],
  ['category', 'categoryNodes', { keepArray: true }],
  ['dc:subject', 'subjectNodes', { keepArray: true }],
  ['dc:identifier', 'identifierNodes', { keepArray: true }],
  ['prism:doi', 'prismDoi'],
  ['arxiv:DOI', 'arxivDoi'],
  ['arxiv:doi', 'arxivApiDoi'],
  ['arxiv:primary_category', 'primaryCategory'],
];

/**
 * An RSS 2.0, RSS 1.0 (RDF) or Atom document as drafts. Throws FeedError: `not-a-feed` for HTML
 * or another XML vocabulary, `malformed` for XML that does not parse (a truncated download),
 * `feed-error` for arXiv's error documents, which are valid feeds announcing a failure.
 */
export async function parseXmlFeed(text: string, url: string): Promise<XmlFeed> {
  const root = rootElementName(text);
  if (root === null) {
    throw new FeedError('not-a-feed', url, `not a feed (no XML root element) at ${url}: check the feed URL`);
  }
  if (/^(?:html|head|body|!doctype html)$/i.test(root)) {
    throw new FeedError('not-a-feed', url, `not a feed (HTML page) at ${url}: check the feed URL`);
  }
  const format = formatOf(root);
  if (format === null) {
    throw new FeedError('not-a-feed', url, `not a feed (XML root <${root}>) at ${url}: expected RSS, RDF or Atom`);
  }

  let feed: Parser.Output<Item>;
  try {
    const parser = new Parser<Item, Item>({ customFields: { item: ITEM_FIELDS }, defaultRSS: 2 });
    feed = await parser.parseString(withXmlEntities(text));
  } catch (error) {
    // The parser's message (with line and column) is the whole story; as a `cause` its line
    // breaks would only repeat it in stored errors.
    const reason = collapseWhitespace(error instanceof Error ? error.message : String(error)).replace(/ Char:\s*$/, '');
    throw new FeedError('malformed', url, `malformed ${format} XML at ${url}: ${reason} (truncated or broken feed)`);
  }

  const title = textOf(feed.title) || null;
  if (title?.startsWith('Feed error for query')) {
    const description = textOf(feed.description);
    throw new FeedError('feed-error', url, `arXiv feed error at ${url}: ${title}${description ? `: ${description}` : ''}`);
  }
  const apiError = feed.items.find((item) => /^https?:\/\/arxiv\.org\/api\/errors/i.test(textOf(item['id'])));
  if (apiError) {
    const reason = textOf(apiError['summary']) || textOf(apiError['id']);
    throw new FeedError('feed-error', url, `arXiv API error at ${url}: ${reason}`);
  }

  return { format, title, drafts: feed.items.map(draftOf) };
}

function draftOf(item: Item): PaperDraft {
  const linkNodes = arrayOf(item['linkNodes']);
  const links = linkNodes.map((node) => {
    const { href, rel, type, title } = attributesOf(node);
    return { href: href?.trim() ?? textOf(node), rel, type, title };
  });
  const pageLinks = links.filter((link) => (!link.rel || link.rel === 'alternate') && link.title !== 'pdf');
  const pdfLink = links.find((link) => link.title === 'pdf' || link.type === 'application/pdf');
  const doiLinks = links.filter((link) => link.title === 'doi' || /doi\.org\//i.test(link.href));
  const enclosure = item['enclosure'] as { url?: unknown; type?: unknown } | undefined;
  const guid = textOf(item['guid']);
  const creators = arrayOf(item['creatorNodes']).map(textOf).filter(Boolean);
  const atomAuthors = arrayOf(item['authorNodes']).map((node) => textOf(fieldOf(node, 'name')) || rssAuthor(textOf(node)));
  const primary = attributesOf(item['primaryCategory']).term ?? '';

  return {
    title: textOf(item['title']),
    abstract: textOf(item['summary']) || textOf(item['content']) || textOf(item['content:encoded']),
    authors: creators.length > 1 ? creators : creators.length === 1 ? [] : atomAuthors.filter(Boolean),
    authorList: creators.length === 1 ? (creators[0] ?? null) : null,
    // Atom's alternate link first: rss-parser falls back to the first link, which may be rel="self".
    links: [...pageLinks.map((link) => link.href), textOf(item['link']), guid].filter(Boolean),
    idHints: [guid, textOf(item['id']), textOf(item['rdf:about'])].filter(Boolean),
    doiHints: [
      textOf(item['arxivDoi']),
      textOf(item['arxivApiDoi']),
      textOf(item['prismDoi']),
      ...arrayOf(item['identifierNodes']).map(textOf),
      ...doiLinks.map((link) => link.href),
    ].filter(Boolean),
    pdfUrl: pdfLink?.href ?? (enclosure?.type === 'application/pdf' ? textOf(enclosure.url) : null),
    hfUrl: null,
    codeUrl: null,
    projectUrl: null,
    categories: [
      primary,
      ...arrayOf(item['categoryNodes']).map((node) => attributesOf(node).term ?? textOf(node)),
      ...arrayOf(item['subjectNodes']).flatMap((node) => textOf(node).split(/[,;]/)),
    ],
    keywords: [],
    aiSummary: null,
    publishedAt: textOf(item['isoDate']) || textOf(item['pubDate']) || null,
    upvotes: null,
    announceType: textOf(item['announceType']) || null,
  };
}

/** The text of an xml2js node: a string, or `{ _: text, $: attributes }`. */
function textOf(node: unknown): string {
  if (typeof node === 'string') return node.trim();
  if (typeof node === 'object' && node !== null && typeof (node as { _?: unknown })._ === 'string') {
    return (node as { _: string })._.trim();
  }
  return '';
}

function attributesOf(node: unknown): Record<string, string | undefined> {
  if (typeof node !== 'object' || node === null) return {};
  const attributes = (node as { $?: unknown }).$;
  return typeof attributes === 'object' && attributes !== null ? (attributes as Record<string, string>) : {};
}

function fieldOf(node: unknown, name: string): unknown {
  if (typeof node !== 'object' || node === null) return undefined;
  const value = (node as Record<string, unknown>)[name];
  return Array.isArray(value) ? value[0] : value;
}

function arrayOf(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** RSS 2.0 `<author>` is "email (Name)"; the name is what a reader wants. */
function rssAuthor(text: string): string {
  const named = /^\S+@\S+\s*\((.+)\)$/.exec(text);
  if (named) return named[1] ?? '';
  return text.includes('@') && !text.includes(' ') ? '' : text;
}

/** The first element's name, after the XML declaration, processing instructions, comments and DOCTYPE. */
function rootElementName(text: string): string | null {
  let rest = text;
  for (;;) {
    rest = rest.trimStart();
    let end: number;
    if (rest.startsWith('<?')) end = rest.indexOf('?>') + 2;
    else if (rest.startsWith('<!--')) end = rest.indexOf('-->') + 3;
    else if (/^<!doctype\s+html\b/i.test(rest)) return '!doctype html';
    else if (/^<!doctype/i.test(rest)) {
      const subset = rest.indexOf('[');
      const close = rest.indexOf('>');
      end = subset >= 0 && subset < close ? rest.slice(subset).search(/\]\s*>/) + subset + 2 : close + 1;
    } else break;
    if (end <= 1) return null;
    rest = rest.slice(end);
  }
  return /^<([A-Za-z_][\w:.-]*)/.exec(rest)?.[1] ?? null;
}

function formatOf(root: string): XmlFeedFormat | null {
  const local = root.slice(root.indexOf(':') + 1);
  if (root === 'rss') return 'rss';
  if (root === 'feed') return 'atom';
  if (local === 'RDF') return 'rdf';
  return null;
}

const XML_ENTITIES = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);

/**
 * Feeds use HTML entities (`&nbsp;`, `&eacute;`) that XML does not define and a strict parser
 * rejects; they become numeric references, which XML does define.
 */
function withXmlEntities(text: string): string {
  return text.replace(/&([A-Za-z][A-Za-z0-9]*);/g, (reference, name: string) => {
    if (XML_ENTITIES.has(name)) return reference;
    const decoded = he.decode(reference);
    if (decoded === reference) return reference;
    return [...decoded].map((char) => `&#${char.codePointAt(0)};`).join('');
  });
}
