/**
 * `npm run eval:ranking [-- --part tuning|held-out]`: papermail's ranking against a plain BM25
 * search over the judged set (README.md in this folder), precision@10 and nDCG@10 per reader
 * interest and their means, the tuning and held-out parts apart. A full run (no --part) also
 * writes eval/ranking/results.json. While changing the ranker, run `-- --part tuning` only.
 */
import { writeFileSync } from 'node:fs';
import path, { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Interests, Paper } from '../../src/domain.js';
import { buildRankIndex, rankPapers } from '../../src/rank/rank-papers.js';
import { findTopic } from '../../src/rank/taxonomy.js';
import { Bm25Index } from './bm25.js';
import { readJudgedPapers, readLabels, type JudgedInterest, type JudgedPaper, type Part } from './judged-set.js';
import { mean, ndcgAtK, precisionAtK } from './metrics.js';

const DIGEST_SIZE = 10;
const PARTS: readonly Part[] = ['tuning', 'held-out'];

interface SystemResult {
  precisionAt10: number;
  ndcgAt10: number;
  top10: string[];
}

interface InterestResult {
  name: string;
  interests: Interests;
  bm25Query: string;
  papermail: SystemResult;
  bm25: SystemResult;
}

interface PartResult {
  interests: InterestResult[];
  mean: { papermail: { precisionAt10: number; ndcgAt10: number }; bm25: { precisionAt10: number; ndcgAt10: number } };
}

/** What a reader would type into a search box for these interests: the keywords and the chosen topics' labels. */
export function bm25Query(interests: Interests): string {
  return [...interests.keywords, ...interests.topics.map((slug) => findTopic(slug)?.label ?? slug)].join(' ');
}

function toPaper(judged: JudgedPaper, position: number): Paper {
  return {
    id: position + 1,
    key: judged.id,
    arxivId: judged.id.startsWith('arxiv:') ? judged.id.slice('arxiv:'.length) : null,
    doi: null,
    title: judged.title,
    abstract: judged.abstract,
    authors: [],
    url: judged.id,
    pdfUrl: null,
    hfUrl: null,
    codeUrl: null,
    projectUrl: null,
    categories: judged.categories,
    keywords: [],
    aiSummary: null,
    publishedAt: null,
    upvotes: judged.upvotes,
    trending: judged.trending,
    firstSeenAt: '2024-11-28T00:00:00.000Z',
  };
}

function evaluate(judged: readonly JudgedPaper[], interests: readonly JudgedInterest[]): PartResult {
  const papers = judged.map(toPaper);
  const index = buildRankIndex(papers);
  const bm25 = new Bm25Index(judged.map((paper) => ({ id: paper.id, text: `${paper.title}\n${paper.abstract}` })));
  const score = (top10: string[], labels: JudgedInterest['labels']): SystemResult => ({
    precisionAt10: precisionAtK(top10, labels, DIGEST_SIZE),
    ndcgAt10: ndcgAtK(top10, labels, DIGEST_SIZE),
    top10,
  });
  const results = interests.map((interest): InterestResult => {
    const ranked = rankPapers(index, interest.interests, { size: DIGEST_SIZE }).map((entry) => entry.paper.key);
    const query = bm25Query(interest.interests);
    const searched = bm25.search(query, DIGEST_SIZE, interest.interests.excluded);
    return {
      name: interest.name,
      interests: interest.interests,
      bm25Query: query,
      papermail: score(ranked, interest.labels),
      bm25: score(searched, interest.labels),
    };
  });
  const meanOf = (system: 'papermail' | 'bm25') => ({
    precisionAt10: mean(results.map((result) => result[system].precisionAt10)),
    ndcgAt10: mean(results.map((result) => result[system].ndcgAt10)),
  });
  return { interests: results, mean: { papermail: meanOf('papermail'), bm25: meanOf('bm25') } };
}

function formatPart(part: Part, result: PartResult): string {
  const nameWidth = Math.max(28, ...result.interests.map((interest) => interest.name.length));
  const header = `${'interest'.padEnd(nameWidth)}  P@10 papermail  P@10 BM25  nDCG@10 papermail  nDCG@10 BM25  Δ nDCG`;
  const row = (name: string, pm: { precisionAt10: number; ndcgAt10: number }, bm: { precisionAt10: number; ndcgAt10: number }) =>
    `${name.padEnd(nameWidth)}  ${fixed(pm.precisionAt10).padStart(14)}  ${fixed(bm.precisionAt10).padStart(9)}  ` +
    `${fixed(pm.ndcgAt10).padStart(17)}  ${fixed(bm.ndcgAt10).padStart(12)}  ${signed(pm.ndcgAt10 - bm.ndcgAt10).padStart(6)}`;
  return [
    `${part} part (${result.interests.length} interests, digest of ${DIGEST_SIZE})`,
    header,
    '-'.repeat(header.length),
    ...result.interests.map((interest) => row(interest.name, interest.papermail, interest.bm25)),
    '-'.repeat(header.length),
    row('mean', result.mean.papermail, result.mean.bm25),
  ].join('\n');
}

function fixed(value: number): string {
  return value.toFixed(3);
}

function signed(value: number): string {
  return `${value >= 0 ? '+' : ''}${value.toFixed(3)}`;
}

function requestedParts(argv: readonly string[]): readonly Part[] {
  const at = argv.indexOf('--part');
  if (at === -1) return PARTS;
  const part = argv[at + 1];
  if (part !== 'tuning' && part !== 'held-out') throw new Error(`eval:ranking: --part takes "tuning" or "held-out", not ${JSON.stringify(part)}`);
  return [part];
}

function main(): void {
  const parts = requestedParts(process.argv.slice(2));
  const papers = readJudgedPapers();
  const labels = readLabels();
  const results: Partial<Record<Part, PartResult>> = {};
  for (const part of parts) {
    results[part] = evaluate(
      papers,
      labels.interests.filter((interest) => interest.part === part),
    );
    console.log(`${formatPart(part, results[part]!)}\n`);
  }
  console.log(`${papers.length} papers; BM25 query = keywords + topic labels as typed, excluded keywords as -"phrase".`);
  if (parts.length === PARTS.length) {
    const file = path.join(dirname(fileURLToPath(import.meta.url)), 'results.json');
    writeFileSync(file, `${JSON.stringify({ digestSize: DIGEST_SIZE, papers: papers.length, parts: results }, null, 1)}\n`);
    console.log(`wrote ${path.relative(process.cwd(), file)}`);
  }
}

main();
