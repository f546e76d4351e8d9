/**
 * Rebuilds `papers.json`, the papers of the judged set, from the real samples in ../shared
 * (README.md in this folder says which and why). Run once; the JSON is what the evaluation reads,
 * so labels never drift with a parser change:
 *
 *   npx tsx eval/ranking/build-judged-papers.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path, { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { PaperEntry } from '../../src/domain.js';
import { parseFeed } from '../../src/feeds/parse-feed.js';
import type { JudgedPaper } from './judged-set.js';

const here = dirname(fileURLToPath(import.meta.url));
const shared = path.resolve(here, '../../../shared');

/** Primary arXiv categories of the machine-learning-adjacent CS day kept from the all-archives feed. */
const KEPT_PRIMARY = new Set([
  'cs.LG', 'cs.CL', 'cs.CV', 'cs.RO', 'cs.AI', 'cs.IR', 'cs.SD', 'eess.AS', 'cs.MA', 'stat.ML', 'cs.CR', 'cs.AR',
  'cs.DC', 'cs.NE', 'cs.HC', 'cs.SE', 'eess.IV', 'cs.MM', 'cs.GR', 'q-bio.QM', 'cs.CY', 'eess.SY', 'cs.SI',
]);

function fromEntry(entry: PaperEntry, source: string): JudgedPaper {
  return {
    id: `arxiv:${entry.arxivId}`,
    source,
    title: entry.title,
    abstract: entry.abstract,
    categories: entry.categories,
    upvotes: entry.upvotes,
    trending: round(entry.trending),
  };
}

/** Two banner lines, then a title line and an abstract line per paper; the first title has "Subscribe" glued on. */
function seedPapers(): JudgedPaper[] {
  const lines = readFileSync(path.join(shared, 'seed/000_0ca694b34de452b2.txt'), 'utf8').split('\n').slice(2);
  const papers: JudgedPaper[] = [];
  for (let line = 0; line + 1 < lines.length; line += 2) {
    const title = lines[line]!.replace(/^Subscribe/, '').trim();
    if (title === '') continue;
    const rank = papers.length;
    // A page of trending papers, most trending first; no votes are given.
    papers.push({
      id: `seed:${String(rank + 1).padStart(3, '0')}`,
      source: 'seed',
      title,
      abstract: lines[line + 1]!.trim(),
      categories: [],
      upvotes: null,
      trending: round(1 - rank / 200),
    });
  }
  return papers;
}

async function main(): Promise<void> {
  const arxivFeed = gunzipSync(readFileSync(path.join(shared, 'feeds/arxiv-rss2-all-archives-2024-11-28.xml.gz')));
  const arxiv = (await parseFeed(arxivFeed, 'arxiv-rss2-all-archives-2024-11-28.xml.gz')).entries.filter(
    (entry) => entry.announceType === 'new' && KEPT_PRIMARY.has(entry.categories[0] ?? ''),
  );
  const hfFeed = readFileSync(path.join(shared, 'feeds/hf-daily-papers-api-2024-10-25.json'));
  const hf = (await parseFeed(hfFeed, 'hf-daily-papers-api-2024-10-25.json')).entries;
  const papers = [
    ...seedPapers(),
    ...arxiv.map((entry) => fromEntry(entry, 'arxiv-rss-2024-11-28')),
    ...hf.map((entry) => fromEntry(entry, 'hf-daily-papers-2024-10-25')),
  ];
  // One paper per line: reviewable diffs, a file that opens fast.
  writeFileSync(path.join(here, 'papers.json'), `[\n${papers.map((paper) => JSON.stringify(paper)).join(',\n')}\n]\n`);
  console.log(`wrote ${papers.length} papers to eval/ranking/papers.json`);
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

await main();
