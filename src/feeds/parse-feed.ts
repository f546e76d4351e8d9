import type { PaperEntry } from '../domain.js';
import { decodeFeedText } from './decode-feed-text.js';
import { FeedError } from './errors.js';
import { finishEntries } from './finish-entries.js';
import { parseHfDailyPapers } from './parse-hf-daily-papers.js';
import { parseXmlFeed } from './parse-xml-feed.js';

export type FeedFormat = 'rss' | 'atom' | 'rdf' | 'hf-daily-papers';

export interface ParsedFeed {
  format: FeedFormat;
  title: string | null;
  entries: PaperEntry[];
}

export interface ParseFeedOptions {
  /** The HTTP Content-Type, whose charset decodes a body that declares no encoding itself. */
  contentType?: string | null;
}

/**
 * A feed body as papers. The format comes from the content, not the URL: a JSON Hugging Face
 * daily-papers list, or RSS 2.0, RSS 1.0 (RDF) or Atom XML. An empty feed gives no entries;
 * items without a title or anything to link to are skipped. Throws FeedError (`not-a-feed`,
 * `malformed`, `feed-error`); `sourceUrl` only names the feed in errors.
 */
export async function parseFeed(
  body: Buffer | string,
  sourceUrl: string,
  options: ParseFeedOptions = {},
): Promise<ParsedFeed> {
  const text = decodeFeedText(body, options.contentType);
  const start = /\S/.exec(text)?.[0];
  if (start === '[' || start === '{') return parseJsonFeed(text, sourceUrl);
  if (start === '<') {
    const feed = await parseXmlFeed(text, sourceUrl);
    return { format: feed.format, title: feed.title, entries: finishEntries(feed.drafts) };
  }
  const what = start === undefined ? 'an empty body' : 'neither XML nor JSON';
  throw new FeedError('not-a-feed', sourceUrl, `not a feed (${what}) at ${sourceUrl}: check the feed URL`);
}

function parseJsonFeed(text: string, url: string): ParsedFeed {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new FeedError('malformed', url, `malformed JSON at ${url}: ${reason} (truncated or broken feed)`, {
      cause: error,
    });
  }
  const drafts = parseHfDailyPapers(json);
  if (drafts === null) {
    throw new FeedError(
      'not-a-feed',
      url,
      `not a feed (JSON that is not a Hugging Face daily-papers list) at ${url}: papermail reads RSS, Atom and huggingface.co/api/daily_papers`,
    );
  }
  return { format: 'hf-daily-papers', title: null, entries: finishEntries(drafts) };
}
