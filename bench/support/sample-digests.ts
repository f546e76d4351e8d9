import type { App } from '../../src/app.js';
import type { Mailer, OutgoingMessage, RankedPaper, Subscriber } from '../../src/domain.js';
import type { RankIndex } from '../../src/rank/rank-papers.js';
import { buildMime, buildRankIndex, composeDigestMessage, DAY_MS, domainOf, parseSender, rankFor } from './shipped.js';
import type { DigestLinks, RenderedEmail } from '../../src/render/render-digest.js';

export interface SampleDigest {
  subscriber: Subscriber;
  papers: RankedPaper[];
}

/** A mailer that must never be used: the steps that only build messages pass it to `createApp`. */
export const UNUSED_MAILER: Mailer = {
  send: () => Promise.reject(new Error('bench: this step sends nothing')),
  describe: () => 'none',
  close: async () => {},
};

/** The run's candidates and index, as `sendDigests` builds them. */
export function candidateIndex(app: App): { index: RankIndex; minPaperId: number; candidates: number } {
  const candidates = app.store.papersSeenSince(new Date(app.now().getTime() - app.config.maxAgeDays * DAY_MS));
  return {
    index: buildRankIndex(candidates),
    minPaperId: candidates.reduce((min, paper) => Math.min(min, paper.id), Number.MAX_SAFE_INTEGER),
    candidates: candidates.length,
  };
}

/** Real digests of the first `count` due subscribers that have one, ranked as a run ranks them. */
export function sampleDigests(app: App, index: RankIndex, minPaperId: number, digestDate: string, count: number): SampleDigest[] {
  const digests: SampleDigest[] = [];
  for (let afterId = 0; digests.length < count; ) {
    const page = app.store.dueSubscribers(digestDate, afterId, 1000);
    if (page.length === 0) break;
    afterId = page.at(-1)!.id;
    const sent = app.store.sentPaperIds(page[0]!.id, afterId, minPaperId);
    for (const subscriber of page) {
      const papers = rankFor(index, subscriber, sent.get(subscriber.id));
      if (papers.length > 0 && digests.length < count) digests.push({ subscriber, papers });
    }
  }
  return digests;
}

type FeedbackUrl = (subscriberId: number, paperId: number, direction: 'more' | 'less') => string;

/**
 * The links a digest is rendered with, as the send phase builds them: preferences, unsubscribe, and
 * per-paper feedback links when this papermail has them (checked at run time: papermail changes
 * under the benchmark).
 */
export function digestLinks(app: App, subscriberId: number): DigestLinks {
  return {
    manageUrl: app.links.manageUrl(subscriberId),
    unsubscribeUrl: app.links.unsubscribeUrl(subscriberId),
    feedbackBaseUrl: app.links.feedbackBaseUrl(subscriberId),
  };
}

/** The List-Id papermail's app gives its digests (see `createApp`). */
export function listIdOf(app: App): string {
  return `papermail daily digest <digest.${domainOf(app.config.mail.from)}>`;
}

/** A digest as the send phase composes it: rendered, then every header decided. */
export function composeSample(app: App, rendered: RenderedEmail, digest: SampleDigest, digestDate: string, links: DigestLinks): OutgoingMessage {
  return composeDigestMessage({
    to: digest.subscriber.email,
    subject: rendered.subject,
    html: rendered.htmlPieces,
    text: rendered.textPieces,
    messageId: app.messageIdFor(digest.subscriber.id, digestDate),
    date: app.now(),
    listId: listIdOf(app),
    unsubscribeUrl: links.unsubscribeUrl,
    manageUrl: links.manageUrl,
  });
}

/** The message's bytes as the SMTP mailer puts them on the wire (no DKIM). */
export function buildRaw(message: OutgoingMessage, from: string): Buffer {
  return buildMime(message, parseSender(from)).raw;
}
