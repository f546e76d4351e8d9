import type { PaperEntry } from '../../src/domain.js';
import { TAXONOMY } from '../../src/rank/taxonomy.js';
import { createRandom, type Random } from './random.js';
import type { SourcePaper } from './source-papers.js';

/** One day's new papers, as a feed would have delivered them (`daysAgo` 0 is the day of the run). */
export interface PaperDay {
  daysAgo: number;
  entries: PaperEntry[];
}

export interface GeneratePapersOptions {
  /** Papers in the candidate window (the run's "day", MAX_AGE_DAYS long). */
  candidates: number;
  /** Days the candidate window spans (MAX_AGE_DAYS). */
  windowDays: number;
  /** Further days of older papers before the window: what the sent history was made of. */
  olderDays: number;
  seed: number;
}

const FIRST_NAMES = [
  'Wei', 'Anna', 'Rahul', 'Sofia', 'Kenji', 'Maria', 'David', 'Chen', 'Fatima', 'Lukas', 'Priya', 'Jonas', 'Yuki', 'Amir',
  'Elena', 'Tomás', 'Hana', 'Oliver', 'Mei', 'Sergey', 'Aisha', 'Pierre', 'Xin', 'Laura', 'Mateo', 'Ji-woo', 'Nikolai',
  'Ingrid', 'Kwame', 'Zhang', 'Roberto', 'Leila', 'Hiroshi', 'Emma', 'Arjun', 'Clara', 'Dmitri', 'Noor', 'Felix', 'Yan',
];
const LAST_NAMES = [
  'Zhang', 'Müller', 'Sharma', 'Rossi', 'Tanaka', 'García', 'Kim', 'Nguyen', 'Okafor', 'Schmidt', 'Li', 'Ivanova',
  'Dubois', 'Wang', 'Johansson', 'Patel', 'Silva', 'Kowalski', 'Chen', 'Yamamoto', 'Haddad', 'van der Berg', 'Liu',
  'Fernández', 'Park', 'Andersson', 'Novak', 'Huang', 'Mensah', 'Moreau', 'Singh', 'Lee', 'Costa', 'Becker', 'Zhao',
  'Hoffmann', 'Kaur', 'Petrov', 'Sato', 'Larsen', 'de Souza', 'Wu', 'Ali', 'Brown', 'Lopez', 'Cohen', 'Ito', 'Yang',
];
const TITLE_LEADS = ['Revisiting', 'Rethinking', 'Towards', 'Scaling', 'Understanding', 'Improving', 'Beyond', 'On'];
/** Every topic's phrases, each with a whole-word matcher, for the Hugging Face-style keywords a paper carries. */
const TOPIC_PHRASES = [...new Set(TAXONOMY.flatMap((topic) => topic.phrases))].map((phrase) => ({
  phrase,
  pattern: new RegExp(`(?<![\\p{L}\\p{N}])${phrase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\p{N}])`, 'iu'),
}));

/**
 * A realistic stretch of days of papers from real text: each generated paper is a real paper, or a
 * variant of one (a derived title, one or two abstract sentences swapped for a neighbour's), with
 * arXiv-like ids ascending in time, authors, links, categories and a trending signal like the feeds
 * give. The oldest day comes first, so database ids ascend with time as they do in production.
 */
export function generatePapers(sources: readonly SourcePaper[], options: GeneratePapersOptions): PaperDay[] {
  const random = createRandom(options.seed);
  const split = sources.map((source) => ({ ...source, sentences: sentencesOf(source.abstract) }));
  const perDay = options.candidates / options.windowDays;
  const totalDays = options.windowDays + options.olderDays;
  const titles = new Set<string>();
  const days: PaperDay[] = [];
  let generated = 0;
  for (let daysAgo = totalDays - 1; daysAgo >= 0; daysAgo--) {
    // Spread `candidates` evenly over the window's days (and as many per day before it).
    const dayIndex = totalDays - 1 - daysAgo;
    const count = Math.round(perDay * (dayIndex + 1)) - Math.round(perDay * dayIndex);
    const entries: PaperEntry[] = [];
    const hasVotes = random.chance(0.5);
    for (let position = 0; position < count; position++, generated++) {
      const base = split[generated % split.length]!;
      const variant = Math.floor(generated / split.length);
      const donor = split[(generated * 7 + variant * 31 + 1) % split.length]!;
      const title = uniqueTitle(variantTitle(base.title, variant, random), titles);
      const abstract = variant === 0 ? base.abstract : variantAbstract(base.sentences, donor.sentences, variant, random);
      entries.push(paperEntry({ title, abstract, daysAgo, position, serial: generated, hasVotes, random }));
    }
    const maxUpvotes = Math.max(0, ...entries.map((entry) => entry.upvotes ?? 0));
    for (const [index, entry] of entries.entries()) {
      // The same trending signal the feeds give: log-scaled upvotes, else the position in the list.
      entry.trending = hasVotes ? Math.max(0.05, Math.log1p(entry.upvotes ?? 0) / Math.log1p(maxUpvotes)) : 0.5 * (1 - index / entries.length);
    }
    days.push({ daysAgo, entries });
  }
  return days;
}

/** Sentences of an abstract (a capital or bracket after the stop, so "e.g., 20" stays whole). */
function sentencesOf(abstract: string): string[] {
  return abstract.split(/(?<=[.!?])\s+(?=[A-Z(])/).filter((sentence) => sentence.length > 0);
}

function variantTitle(title: string, variant: number, random: Random): string {
  if (variant === 0) return title;
  const colon = title.indexOf(': ');
  if (colon > 0 && colon <= 30) return `${title.slice(0, colon)}-${variant + 1}${title.slice(colon)}`;
  return `${TITLE_LEADS[(variant + random.int(0, TITLE_LEADS.length - 1)) % TITLE_LEADS.length]!} ${title}`;
}

function uniqueTitle(title: string, seen: Set<string>): string {
  let candidate = title;
  for (let n = 2; seen.has(candidate); n++) candidate = `${title} (Part ${n})`;
  seen.add(candidate);
  return candidate;
}

function variantAbstract(base: readonly string[], donor: readonly string[], variant: number, random: Random): string {
  const sentences = [...base];
  const swaps = Math.min(variant, 2);
  for (let k = 0; k < swaps && sentences.length >= 3 && donor.length >= 2; k++) {
    const at = random.int(1, sentences.length - 2);
    sentences[at] = donor[random.int(1, donor.length - 1)]!;
  }
  return sentences.join(' ');
}

interface PaperSpec {
  title: string;
  abstract: string;
  daysAgo: number;
  position: number;
  serial: number;
  hasVotes: boolean;
  random: Random;
}

function paperEntry({ title, abstract, daysAgo, position, serial, hasVotes, random }: PaperSpec): PaperEntry {
  // YYMM.NNNNN, ascending with the serial number; the window's papers are December's.
  const arxivId = `${daysAgo >= 7 ? '2611' : '2612'}.${String(10_000 + serial).padStart(5, '0')}`;
  const text = `${title} ${abstract}`;
  const onHuggingFace = hasVotes || random.chance(0.3);
  const authors = Array.from({ length: random.int(2, 9) }, () => `${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}`);
  const slug = title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40);
  const owner = authors[0]!.split(' ').at(-1)!.toLowerCase().replace(/[^a-z]/g, '') || 'lab';
  const upvotes = hasVotes ? Math.max(0, Math.round(250 / (position + 1) ** 0.9 + random.int(-3, 3))) : null;
  const published = new Date(Date.UTC(2026, 11, 3) - daysAgo * 86_400_000 - 18 * 3_600_000).toISOString();
  return {
    key: `arxiv:${arxivId}`,
    arxivId,
    doi: null,
    title,
    abstract,
    authors,
    url: `https://arxiv.org/abs/${arxivId}`,
    pdfUrl: `https://arxiv.org/pdf/${arxivId}`,
    hfUrl: onHuggingFace ? `https://huggingface.co/papers/${arxivId}` : null,
    codeUrl: random.chance(0.35) ? `https://github.com/${owner}/${slug}` : null,
    projectUrl: random.chance(0.08) ? `https://${owner}.github.io/${slug}/` : null,
    categories: categoriesOf(text.toLowerCase(), random),
    keywords: onHuggingFace ? TOPIC_PHRASES.filter(({ pattern }) => pattern.test(text)).map(({ phrase }) => phrase).slice(0, 6) : [],
    aiSummary: onHuggingFace ? sentencesOf(abstract)[0]!.slice(0, 220) : null,
    publishedAt: published,
    upvotes,
    trending: 0,
    announceType: 'new',
  };
}

function categoriesOf(text: string, random: Random): string[] {
  const primary = /robot|manipulat|embodied/.test(text)
    ? 'cs.RO'
    : /image|video|vision|visual|segmentation|3d/.test(text)
      ? 'cs.CV'
      : /language model|llm|text|token|translation/.test(text)
        ? 'cs.CL'
        : /speech|audio/.test(text)
          ? 'eess.AS'
          : 'cs.LG';
  const extra = random.pick(['cs.AI', 'cs.LG', 'stat.ML', 'cs.CL', 'cs.CV']);
  return extra === primary || random.chance(0.4) ? [primary] : [primary, extra];
}
