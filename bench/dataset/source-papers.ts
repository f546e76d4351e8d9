import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import he from 'he';

/** A real paper's text, the raw material the generator recombines. */
export interface SourcePaper {
  title: string;
  abstract: string;
}

export interface SourceCorpus {
  papers: SourcePaper[];
  /** Where the text came from, for the results file. */
  from: string;
}

/** The repository root, found from this file (`bench/dataset/` is two levels below it). */
export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
/** The shared seed page (titles and abstracts, one per line), next to the repository when present. */
const SEED_DIR = path.resolve(REPO_ROOT, '../shared/seed');
/** The same papers, bundled with the repository for the offline demo. */
const SAMPLE_FEED = path.join(REPO_ROOT, 'data/sample/trending-papers.xml');

/**
 * Real titles and abstracts: the shared seed page when it is there, else the bundled sample feed
 * (the same 174 papers). Throws when neither yields papers: a benchmark on made-up text would not be realistic.
 */
export function loadSourcePapers(): SourceCorpus {
  if (existsSync(SEED_DIR)) {
    const files = readdirSync(SEED_DIR).filter((name) => name.endsWith('.txt')).sort();
    const papers = files.flatMap((name) => parseSeedPage(readFileSync(path.join(SEED_DIR, name), 'utf8')));
    if (papers.length >= 20) return { papers: dedupe(papers), from: path.relative(REPO_ROOT, SEED_DIR) };
  }
  const papers = parseSampleFeed(readFileSync(SAMPLE_FEED, 'utf8'));
  if (papers.length < 20) throw new Error(`bench: found only ${papers.length} papers in ${SAMPLE_FEED}; the generator needs real text`);
  return { papers: dedupe(papers), from: path.relative(REPO_ROOT, SAMPLE_FEED) };
}

/**
 * The seed page is the text of a "trending papers" page: two banner lines, then a title line and
 * an abstract line per paper (the first title glued to the "Subscribe" button's label).
 */
export function parseSeedPage(text: string): SourcePaper[] {
  const lines = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('Get trending papers'));
  if (lines[0]?.startsWith('Subscribe')) lines[0] = lines[0].slice('Subscribe'.length).trim();
  const papers: SourcePaper[] = [];
  for (let i = 0; i + 1 < lines.length; i += 2) {
    const title = lines[i]!;
    const abstract = lines[i + 1]!;
    // A title is one short line, an abstract several sentences; anything else means the page is out of step.
    if (title.length > 300 || abstract.length < 200) break;
    papers.push({ title, abstract });
  }
  return papers;
}

export function parseSampleFeed(xml: string): SourcePaper[] {
  const papers: SourcePaper[] = [];
  for (const item of xml.matchAll(/<item>([\s\S]*?)<\/item>/g)) {
    const title = /<title>([\s\S]*?)<\/title>/.exec(item[1]!)?.[1];
    const abstract = /<description>([\s\S]*?)<\/description>/.exec(item[1]!)?.[1];
    if (title && abstract) papers.push({ title: he.decode(title).trim(), abstract: he.decode(abstract).trim() });
  }
  return papers;
}

function dedupe(papers: SourcePaper[]): SourcePaper[] {
  const seen = new Set<string>();
  return papers.filter((paper) => !seen.has(paper.title) && Boolean(seen.add(paper.title)));
}
