import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDigestDate } from '../dates.js';
import type { Digest, Paper, RecurringPiece } from '../domain.js';
import { joinBody, recurring } from '../message-body.js';
import { compileMjmlFile, prefillSlots, toSlotTemplate, type SlotTemplate } from './compile-template.js';
import { RenderError } from './errors.js';
import { abstractSnippet, paperLinks, shortenAuthors, whyItMatched } from './format-paper.js';
import { collapseWhitespace, escapeHtml, httpUrl } from './safe-html.js';

export interface DigestLinks {
  manageUrl: string;
  unsubscribeUrl: string;
  /**
   * Where the "more / less like this" links under each paper start (`links.feedbackBaseUrl`): each
   * link is `<base>/<paper id>/more` or `/less`. Without it, the digest has no such links.
   */
  feedbackBaseUrl?: string;
}

type Piece = string | RecurringPiece;

export interface RenderedEmail {
  subject: string;
  /** The bodies as pieces (see `MessageBody`): what the mailer encodes, sharing the recurring ones. */
  htmlPieces: readonly Piece[];
  textPieces: readonly Piece[];
  /** The bodies as strings, joined on first read. */
  readonly html: string;
  readonly text: string;
}

export interface DigestRendererOptions {
  /** The public site, named in the footer as where the reader subscribed. */
  siteUrl: string;
  productName?: string;
  /** Defaults to the repository's `templates/`, found from this module (works from `src/` and `dist/`). */
  templatesDir?: string;
}

export interface DigestRenderer {
  /** Pure string work (no MJML, no I/O): a few microseconds per digest once its papers are cached. */
  render(digest: Digest, links: DigestLinks): RenderedEmail;
}

/** `src/render/` and `dist/render/` both sit two levels below the repository root. */
const DEFAULT_TEMPLATES_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));
const DIGEST_TEMPLATE = 'digest.mjml';

const PAGE_SLOTS = ['TITLE', 'PREVIEW', 'PRODUCT', 'HEADING', 'PAPERS', 'FOOTER_LINKS', 'FOOTER_REASON'] as const;
const PAPER_SLOTS = ['PAPER_TITLE', 'PAPER_AUTHORS', 'PAPER_SNIPPET', 'PAPER_LINKS', 'PAPER_REASONS'] as const;
const PAPER_START = '%%PAPER_START%%';
const PAPER_END = '%%PAPER_END%%';

/** Inline styles of the links the renderer writes (MJML only styles what it compiles). */
const LINK_STYLES = {
  title: 'color:#111827;text-decoration:none',
  paper: 'color:#2563eb;text-decoration:none',
  footer: 'color:#6b7280;text-decoration:underline',
  feedback: 'color:#6b7280;text-decoration:underline',
} as const;

/** Plain text is wrapped for reading in a fixed-width client. */
const TEXT_WIDTH = 72;
const TEXT_INDENT = '   ';

const FEEDBACK_HTML_START = recurring('<a href="');
const PARAGRAPH_BREAK = recurring('\n\n');

/** Papers are shared by many subscribers; past this many, the cache starts over (a long-running service). */
const MAX_CACHED_PAPERS = 20_000;

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A paper's share of every digest it is in: everything but the subscriber's reasons and link token. */
interface CachedPaper {
  paper: Paper;
  /** The paper's HTML up to its reasons, and from after them. */
  htmlHead: RecurringPiece;
  htmlTail: RecurringPiece;
  /** Its feedback links' HTML and text around the subscriber's feedback base URL (before, between, after). */
  feedbackHtml: readonly [RecurringPiece, RecurringPiece, RecurringPiece];
  feedbackText: readonly [RecurringPiece, RecurringPiece, RecurringPiece];
  /** The paper's plain text from its title (after the number) to its links. */
  text: RecurringPiece;
  /** Title for the preheader. */
  title: string;
}

/**
 * Compiles and validates the digest template once (MJML is ~25 ms per document, far too slow per
 * email) and returns a renderer that fills it per subscriber by concatenation, caching each paper's
 * HTML and text. A broken template rejects here with a `RenderError` naming it.
 */
export async function compileDigestRenderer(options: DigestRendererOptions): Promise<DigestRenderer> {
  const siteUrl = httpUrl(options.siteUrl);
  if (!siteUrl) throw new RenderError(`site URL ${JSON.stringify(options.siteUrl)} is not an absolute http(s) URL`);
  const productName = collapseWhitespace(options.productName ?? 'papermail') || 'papermail';
  const templatePath = path.join(options.templatesDir ?? DEFAULT_TEMPLATES_DIR, DIGEST_TEMPLATE);

  const html = await compileMjmlFile(templatePath);
  const start = html.indexOf(PAPER_START);
  const end = html.indexOf(PAPER_END);
  if (start < 0 || end < start || html.indexOf(PAPER_START, start + 1) >= 0 || html.indexOf(PAPER_END, end + 1) >= 0) {
    throw new RenderError(`template ${templatePath} needs exactly one ${PAPER_START} … ${PAPER_END} block around the paper`);
  }
  const siteLabel = siteUrl.replace(/^https?:\/\//, '').replace(/\/$/, '');
  const page = pieceTemplate(prefillSlots(
    toSlotTemplate(`${html.slice(0, start)}%%PAPERS%%${html.slice(end + PAPER_END.length)}`, PAGE_SLOTS, `template ${templatePath}`),
    {
      PRODUCT: escapeHtml(productName),
      FOOTER_REASON: `You get this because you subscribed to the daily digest at ${anchor(siteUrl, escapeHtml(siteLabel), LINK_STYLES.footer)}.`,
    },
  ));
  const paperTemplate = toSlotTemplate(html.slice(start + PAPER_START.length, end), PAPER_SLOTS, `paper block of template ${templatePath}`);
  const footerText = recurring(`You get this because you subscribed to the daily digest at ${siteUrl}\n`);
  const cache = new Map<number, CachedPaper>();

  function cached(paper: Paper): CachedPaper {
    const hit = cache.get(paper.id);
    if (hit && (hit.paper === paper || sameRenderedFields(hit.paper, paper))) return hit;
    if (cache.size >= MAX_CACHED_PAPERS) cache.clear();
    const entry = cachePaper(paper, paperTemplate);
    cache.set(paper.id, entry);
    return entry;
  }

  return {
    render(digest, links) {
      const { papers } = digest;
      if (papers.length === 0) {
        throw new RenderError(`digest of subscriber ${digest.subscriber.id} for ${digest.date} has no papers: nothing to send`);
      }
      const manageUrl = requireHttpUrl(links.manageUrl, 'manage-preferences', digest);
      const unsubscribeUrl = requireHttpUrl(links.unsubscribeUrl, 'unsubscribe', digest);
      const { long, short } = dateLabels(digest.date);
      const count = papers.length;
      const heading = `Trending papers for ${long} · ${count} ${count === 1 ? 'paper' : 'papers'}`;

      const feedbackBaseText = httpUrl(links.feedbackBaseUrl)?.replace(/\/+$/, '') ?? null;
      const feedbackBaseHtml = feedbackBaseText && escapeHtml(feedbackBaseText);

      const papersHtml: Piece[] = [];
      const papersText: Piece[] = [];
      const titles: string[] = [];
      papers.forEach((ranked, i) => {
        const entry = cached(ranked.paper);
        const why = whyItMatched(ranked);
        papersHtml.push(entry.htmlHead, escapeHtml(why));
        papersText.push(`${i + 1}. `, entry.text);
        if (why) papersText.push(`\n${wrapText(why, TEXT_WIDTH, TEXT_INDENT)}`);
        if (feedbackBaseHtml && feedbackBaseText) {
          const [beforeHtml, betweenHtml, afterHtml] = entry.feedbackHtml;
          papersHtml.push(why ? '<br>' : '', beforeHtml, feedbackBaseHtml, betweenHtml, feedbackBaseHtml, afterHtml);
          const [beforeText, betweenText, afterText] = entry.feedbackText;
          papersText.push(beforeText, feedbackBaseText, betweenText, feedbackBaseText, afterText);
        }
        papersHtml.push(entry.htmlTail);
        papersText.push(PARAGRAPH_BREAK);
        if (titles.length < 3) titles.push(entry.title);
      });

      const htmlPieces = fillPieces(page, {
        TITLE: escapeHtml(heading),
        PREVIEW: escapeHtml(truncate(titles.join(' · '), 140)),
        HEADING: escapeHtml(heading),
        PAPERS: papersHtml,
        FOOTER_LINKS: `${anchor(manageUrl, 'Manage preferences', LINK_STYLES.footer)} · ${anchor(unsubscribeUrl, 'Unsubscribe', LINK_STYLES.footer)}`,
      });
      const textPieces: Piece[] = [
        `${heading}\n\n`,
        ...papersText,
        `-- \nManage your preferences: ${manageUrl}\nUnsubscribe: ${unsubscribeUrl}\n\n`,
        footerText,
      ];
      return renderedEmail(`Trending papers · ${short} · ${count} new`, htmlPieces, textPieces);
    },
  };
}

function cachePaper(paper: Paper, template: SlotTemplate): CachedPaper {
  const title = collapseWhitespace(paper.title) || 'Untitled paper';
  const pageUrl = httpUrl(paper.url);
  const authors = shortenAuthors(paper.authors);
  const snippet = abstractSnippet(paper);
  const links = paperLinks(paper);

  const html = prefillSlots(template, {
    PAPER_TITLE: pageUrl ? anchor(pageUrl, escapeHtml(title), LINK_STYLES.title) : escapeHtml(title),
    PAPER_AUTHORS: escapeHtml(authors),
    PAPER_SNIPPET: escapeHtml(snippet),
    PAPER_LINKS: links.map((link) => anchor(link.url, escapeHtml(link.label), LINK_STYLES.paper)).join(' · '),
  });
  // The paper block has exactly one slot left open, PAPER_REASONS (checked by toSlotTemplate at compile time).
  const [htmlHead, htmlTail] = html.parts as [string, string];
  const id = paper.id;
  const feedbackStyle = escapeHtml(LINK_STYLES.feedback);

  // The title links to the paper's page in HTML; in text that page is listed unless a link already is it.
  const textLinks = pageUrl && !links.some((link) => link.url === pageUrl) ? [{ label: 'Paper', url: pageUrl }, ...links] : links;
  const lines = [wrapText(title, TEXT_WIDTH, TEXT_INDENT).slice(TEXT_INDENT.length)];
  if (authors) lines.push(wrapText(authors, TEXT_WIDTH, TEXT_INDENT));
  if (snippet) lines.push('', wrapText(snippet, TEXT_WIDTH, TEXT_INDENT));
  if (textLinks.length > 0) lines.push('', ...textLinks.map((link) => `${TEXT_INDENT}${link.label}: ${link.url}`));
  return {
    paper,
    htmlHead: recurring(htmlHead),
    htmlTail: recurring(htmlTail),
    feedbackHtml: [
      FEEDBACK_HTML_START,
      recurring(`/${id}/more" style="${feedbackStyle}">More like this</a> · <a href="`),
      recurring(`/${id}/less" style="${feedbackStyle}">Less like this</a>`),
    ],
    feedbackText: [recurring(`\n${TEXT_INDENT}More like this: `), recurring(`/${id}/more\n${TEXT_INDENT}Less like this: `), recurring(`/${id}/less`)],
    text: recurring(lines.join('\n')),
    title,
  };
}

/** Whether a cached rendering of `a` still shows `b` (a long-lived renderer sees new Paper objects each run). */
function sameRenderedFields(a: Paper, b: Paper): boolean {
  return (
    a.title === b.title &&
    a.url === b.url &&
    a.abstract === b.abstract &&
    a.aiSummary === b.aiSummary &&
    a.arxivId === b.arxivId &&
    a.pdfUrl === b.pdfUrl &&
    a.hfUrl === b.hfUrl &&
    a.codeUrl === b.codeUrl &&
    a.projectUrl === b.projectUrl &&
    a.authors.length === b.authors.length &&
    a.authors.every((author, i) => author === b.authors[i])
  );
}

/**
 * A page template filled with pieces: its fixed HTML as recurring pieces (made once per template),
 * each slot's value as this digest's own string, or as the pieces given for it.
 */
function fillPieces(template: PieceTemplate, values: Readonly<Record<string, string | readonly Piece[]>>): Piece[] {
  const out: Piece[] = [template.parts[0]!];
  template.slots.forEach((slot, i) => {
    const value = values[slot]!;
    if (typeof value === 'string') out.push(value);
    else out.push(...value);
    out.push(template.parts[i + 1]!);
  });
  return out;
}

interface PieceTemplate {
  parts: readonly RecurringPiece[];
  slots: readonly string[];
}

function pieceTemplate(template: SlotTemplate): PieceTemplate {
  return { parts: template.parts.map(recurring), slots: template.slots };
}

function renderedEmail(subject: string, htmlPieces: readonly Piece[], textPieces: readonly Piece[]): RenderedEmail {
  let html: string | undefined;
  let text: string | undefined;
  return {
    subject,
    htmlPieces,
    textPieces,
    get html() {
      return (html ??= joinBody(htmlPieces));
    },
    get text() {
      return (text ??= joinBody(textPieces));
    },
  };
}

/** `<a>` for a URL already checked by `httpUrl`; `label` is HTML. */
function anchor(url: string, label: string, style: string): string {
  return `<a href="${escapeHtml(url)}" style="${style}">${label}</a>`;
}

function requireHttpUrl(value: string, what: string, digest: Digest): string {
  const url = httpUrl(value);
  // Never send a digest whose unsubscribe or preferences link would not work.
  if (!url) throw new RenderError(`${what} link for subscriber ${digest.subscriber.id} is not an http(s) URL`);
  return url;
}

/** "Thu 3 Dec 2026" and "Thu 3 Dec" for `2026-12-03`, in English whatever the server's locale. */
function dateLabels(date: string): { long: string; short: string } {
  if (!isDigestDate(date)) throw new RenderError(`digest date ${JSON.stringify(date)} is not a YYYY-MM-DD calendar date`);
  const day = new Date(`${date}T00:00:00Z`);
  const short = `${WEEKDAYS[day.getUTCDay()]} ${day.getUTCDate()} ${MONTHS[day.getUTCMonth()]}`;
  return { short, long: `${short} ${day.getUTCFullYear()}` };
}

/** Greedy word wrap; every line starts with `indent`. Words longer than a line (URLs) stay whole. */
function wrapText(text: string, width: number, indent: string): string {
  const room = width - indent.length;
  let out = '';
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > room) {
      out += `${indent}${line}\n`;
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  return out + indent + line;
}

function truncate(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const cut = text.lastIndexOf(' ', maxChars);
  return `${text.slice(0, cut > maxChars / 2 ? cut : maxChars)}…`;
}
