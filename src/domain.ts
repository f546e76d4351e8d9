/**
 * The nouns of papermail, shared by every stage. Types only: no code, no imports of stages.
 * Data flows one way: feeds → store → rank → render → mail.
 */

/** arXiv's announcement kinds (rss.arxiv.org `arxiv:announce_type`). */
export type AnnounceType = 'new' | 'cross' | 'replace' | 'replace-cross';

/**
 * What one source says about one paper, before papermail merges sources.
 * Produced by `feeds/`, merged into a `Paper` by the store.
 */
export interface PaperEntry {
  /** Canonical key, the same for every URL, version and source of one paper:
   *  `arxiv:2106.01345`, `arxiv:hep-th/9901001`, `doi:10.1145/3366423.3380130`, `url:https://example.org/p/1`. */
  key: string;
  /** arXiv id without version (`2106.01345`, `hep-th/9901001`), when known. */
  arxivId: string | null;
  /** Lower-cased DOI without resolver prefix (`10.1145/...`), when known. */
  doi: string | null;
  /** Plain text, entities decoded, whitespace collapsed. */
  title: string;
  /** Plain text abstract, without source boilerplate (e.g. arXiv's "arXiv:… Announce Type: new Abstract:"). */
  abstract: string;
  authors: string[];
  /** The page the title links to (arXiv abstract page when there is one). */
  url: string;
  pdfUrl: string | null;
  /** Hugging Face paper page. */
  hfUrl: string | null;
  /** Code repository (e.g. GitHub), when a source names one. */
  codeUrl: string | null;
  projectUrl: string | null;
  /** arXiv categories (`cs.LG`) or a source's own category labels. */
  categories: string[];
  /** Keywords a source attaches (Hugging Face `ai_keywords`). */
  keywords: string[];
  /** A one-line summary a source attaches (Hugging Face `ai_summary`). */
  aiSummary: string | null;
  /** ISO 8601 timestamp as the source states it; informative only (feeds' dates lag and lie). */
  publishedAt: string | null;
  /** Hugging Face upvotes, when the source has them. */
  upvotes: number | null;
  /** Trending signal from this source, 0..1 (upvotes, or the item's position in the feed). */
  trending: number;
  /** arXiv announcement kind; `replace*` means a new version of an old paper, not a new paper. */
  announceType: AnnounceType | null;
}

/** A paper as papermail knows it: sources merged, with the time papermail first saw it. */
export interface Paper extends Omit<PaperEntry, 'announceType'> {
  id: number;
  /** When papermail first saw this paper (ISO 8601). Decides what is "new" and when it ages out. */
  firstSeenAt: string;
}

/** A source papermail polls, with its HTTP validators and error state. */
export interface Feed {
  id: number;
  url: string;
  title: string | null;
  etag: string | null;
  lastModified: string | null;
  lastFetchedAt: string | null;
  lastSuccessAt: string | null;
  lastErrorAt: string | null;
  lastError: string | null;
  /** Consecutive failed fetches; reset to 0 on success. */
  errorCount: number;
}

export type SubscriberStatus = 'pending' | 'active' | 'paused' | 'unsubscribed' | 'bounced';

/** What a subscriber wants to read. */
export interface Interests {
  /** Topic slugs from the taxonomy (`rank/taxonomy.ts`). */
  topics: string[];
  /** Free keywords or phrases, as typed ("activation steering", "RLHF"). */
  keywords: string[];
  /** Keywords or phrases whose papers must never be sent. */
  excluded: string[];
}

/** A reader's click on "more like this" or "less like this" under a paper in a digest. */
export type FeedbackDirection = 'more' | 'less';

export interface Feedback {
  paperId: number;
  direction: FeedbackDirection;
  /** ISO 8601. */
  at: string;
}

export interface Subscriber {
  id: number;
  email: string;
  status: SubscriberStatus;
  interests: Interests;
  /** How many papers at most one digest holds. */
  digestSize: number;
  createdAt: string;
  confirmedAt: string | null;
}

/** One entry of the built-in taxonomy: a research topic defined by phrases and arXiv categories. */
export interface Topic {
  slug: string;
  label: string;
  description: string;
  /** Phrases whose presence in a title/abstract marks the topic ("state space model", "mamba"). */
  phrases: string[];
  /** arXiv categories that hint at the topic (a weak signal alone). */
  categories: string[];
}

/** A paper chosen for one subscriber, with the scores and reasons behind the choice. */
export interface RankedPaper {
  paper: Paper;
  /** Final score used for ordering. */
  score: number;
  /** Text relevance to the subscriber's interests (before blending with trending). */
  relevance: number;
  /** The paper's trending signal, 0..1. */
  trending: number;
  /** Human-readable reasons: matched topics (labels) and keywords, e.g. ["Efficient architectures", "mamba"]. */
  reasons: string[];
}

/** One subscriber's digest for one date. */
export interface Digest {
  subscriber: Subscriber;
  /** Digest date, `YYYY-MM-DD` in the configured time zone. */
  date: string;
  papers: RankedPaper[];
}

/** Delivery ledger states (one row per subscriber and digest date). */
export type DeliveryStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'uncertain';

export interface Delivery {
  id: number;
  subscriberId: number;
  digestDate: string;
  status: DeliveryStatus;
  /** The stable Message-ID of this digest (same across retries). */
  messageId: string;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: string | null;
  sentAt: string | null;
  /** The SMTP server's answer on acceptance (or the outbox file path). */
  smtpResponse: string | null;
}

/**
 * A piece of a message body that recurs, as this very object, in many messages of a run: the
 * template's fixed HTML, a paper's block. The MIME builder encodes it once and reuses the bytes.
 */
export interface RecurringPiece {
  readonly text: string;
  /** Its quoted-printable bytes, kept here by the MIME builder the first time it encodes the piece. */
  encoded: Uint8Array | undefined;
}

/**
 * A body as one string, or as pieces in order: plain strings are this message's own (reasons,
 * link tokens), `RecurringPiece`s are shared. Pieces never split a line break (`\n` only, no `\r`).
 */
export type MessageBody = string | readonly (string | RecurringPiece)[];

/** An email ready for the mailer: rendered, addressed, with every header decided. */
export interface OutgoingMessage {
  to: string;
  subject: string;
  html: MessageBody;
  text: MessageBody;
  /** `<...@domain>` form. */
  messageId: string;
  date: Date;
  /** Extra headers (List-Id, List-Unsubscribe, List-Unsubscribe-Post, Auto-Submitted, ...). */
  headers: Record<string, string>;
}

/** What a mailer reports for an accepted message. */
export interface SentMessage {
  messageId: string;
  /** The SMTP server's final reply, or `saved to <path>` for the outbox. */
  response: string;
}

export interface Mailer {
  /** Resolves once the server accepted the message; rejects with a `MailError` otherwise. */
  send(message: OutgoingMessage): Promise<SentMessage>;
  /** Where mail goes, for logs and summaries (`smtp://relay:587`, `outbox data/outbox`), no secrets. */
  describe(): string;
  close(): Promise<void>;
}
