import type { Paper, RankedPaper } from '../domain.js';
import { collapseWhitespace, httpUrl } from './safe-html.js';

/** One link under a paper: a fixed label and an absolute http(s) URL. */
export interface PaperLink {
  label: string;
  url: string;
}

/** Surname particles that stay whole when a name is shortened ("V. van der Berg", not "V. v. d. Berg"). */
const PARTICLES = new Set(['al', 'bin', 'da', 'das', 'de', 'del', 'della', 'der', 'di', 'do', 'dos', 'du', 'el', 'la', 'le', 'ten', 'ter', 'van', 'von', 'zu']);
const SUFFIXES = /^(jr\.?|sr\.?|ii|iii|iv)$/i;

/** "A. Author, B. Author, C. Author et al.": the first `shown` authors, given names as initials. */
export function shortenAuthors(authors: readonly string[], shown = 3): string {
  const names: string[] = [];
  for (const author of authors) {
    const name = collapseWhitespace(author);
    if (name) names.push(name);
  }
  const listed = names.slice(0, shown).map(abbreviateName).join(', ');
  return names.length > shown ? `${listed} et al.` : listed;
}

/** "Jakob Drachmann Havtorn" → "J. D. Havtorn"; "Havtorn, Jakob" → "J. Havtorn"; one-word names stay. */
export function abbreviateName(name: string): string {
  const comma = name.indexOf(',');
  if (comma > 0) {
    const surname = name.slice(0, comma).trim();
    const given = name.slice(comma + 1).trim();
    return given && !SUFFIXES.test(given) ? `${initials(given.split(' '))} ${surname}` : name;
  }
  const words = name.split(' ');
  let surnameStart = words.length - 1;
  if (surnameStart > 1 && SUFFIXES.test(words[surnameStart]!)) surnameStart--;
  while (surnameStart > 1 && PARTICLES.has(words[surnameStart - 1]!)) surnameStart--;
  if (surnameStart < 1) return name;
  return `${initials(words.slice(0, surnameStart))} ${words.slice(surnameStart).join(' ')}`;
}

function initials(givenNames: readonly string[]): string {
  return givenNames
    .filter((word) => word.length > 0)
    .map((word) =>
      word
        .split('-')
        .map((part) => {
          const first = String.fromCodePoint(part.codePointAt(0) ?? 0x20);
          // Only letters become initials: "(Bob)" or "3D" stay as written.
          return /^\p{L}$/u.test(first) ? `${first}.` : part;
        })
        .join('-'),
    )
    .join(' ');
}

/**
 * 2–3 lines of the abstract, cut at a word boundary near `maxChars`; the source's one-line AI summary
 * only when there is no abstract. Empty when the paper has neither.
 */
export function abstractSnippet(paper: Pick<Paper, 'abstract' | 'aiSummary'>, maxChars = 300): string {
  const source = collapseWhitespace(paper.abstract) || collapseWhitespace(paper.aiSummary ?? '');
  // A little slack, so a snippet never ends by dropping only its last word or two.
  if (source.length <= maxChars + 30) return source;
  let cut = source.lastIndexOf(' ', maxChars);
  if (cut < maxChars * 0.6) cut = maxChars;
  return `${source.slice(0, cut).replace(/[\s,;:(–—-]+$/u, '')}…`;
}

/** The links known for a paper, in a fixed order, http(s) only and without duplicates. */
export function paperLinks(paper: Pick<Paper, 'arxivId' | 'pdfUrl' | 'hfUrl' | 'codeUrl' | 'projectUrl'>): PaperLink[] {
  const arxivId = paper.arxivId && /^[\w.\-/]+$/.test(paper.arxivId) ? paper.arxivId : null;
  const candidates: Array<[string, string | null]> = [
    ['arXiv', arxivId && `https://arxiv.org/abs/${arxivId}`],
    ['PDF', paper.pdfUrl ?? (arxivId && `https://arxiv.org/pdf/${arxivId}`)],
    ['Hugging Face', paper.hfUrl],
    ['Code', paper.codeUrl],
    ['Project', paper.projectUrl],
  ];
  const links: PaperLink[] = [];
  for (const [label, candidate] of candidates) {
    const url = httpUrl(candidate);
    if (url && !links.some((link) => link.url === url)) links.push({ label, url });
  }
  return links;
}

/**
 * Why this paper is in this subscriber's digest, as one line:
 * "Matches: Efficient architectures · mamba — Trending: 120 upvotes". Empty when nothing to say.
 */
export function whyItMatched(ranked: Pick<RankedPaper, 'reasons'> & { paper: Pick<Paper, 'upvotes'> }): string {
  const reasons: string[] = [];
  for (const reason of ranked.reasons) {
    const text = collapseWhitespace(reason);
    if (text) reasons.push(text);
  }
  const parts: string[] = [];
  if (reasons.length > 0) parts.push(`Matches: ${reasons.join(' · ')}`);
  const upvotes = ranked.paper.upvotes;
  if (typeof upvotes === 'number' && Number.isFinite(upvotes) && upvotes >= 1) {
    const count = Math.round(upvotes);
    parts.push(`Trending: ${count.toLocaleString('en-US')} ${count === 1 ? 'upvote' : 'upvotes'}`);
  }
  return parts.join(' — ');
}
