/** The judged set's files, typed: papers.json (what is ranked) and labels.json (what a reader wants). */
import { readFileSync } from 'node:fs';
import path, { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Interests } from '../../src/domain.js';

export interface JudgedPaper {
  /** `seed:NNN` (position on the seed page) or `arxiv:<id>`. */
  id: string;
  /** `seed`, `arxiv-rss-2024-11-28` or `hf-daily-papers-2024-10-25` (README.md says where each comes from). */
  source: string;
  title: string;
  abstract: string;
  categories: string[];
  upvotes: number | null;
  /** The trending signal papermail's feed reader gives the paper (0..1). */
  trending: number;
}

/** 2 clearly on topic, 1 partly; a paper not listed is 0. */
export type Grade = 0 | 1 | 2;

export type Part = 'tuning' | 'held-out';

export interface JudgedInterest {
  name: string;
  part: Part;
  /** What the reader typed and picked, as papermail stores it. */
  interests: Interests;
  /** What the reader means, in a sentence: the brief the labels were judged against. */
  means: string;
  /** Paper id → grade, for every paper judged 1 or 2. */
  labels: Record<string, Grade>;
}

export interface Labels {
  note: string;
  interests: JudgedInterest[];
}

const here = dirname(fileURLToPath(import.meta.url));

export function readJudgedPapers(): JudgedPaper[] {
  return JSON.parse(readFileSync(path.join(here, 'papers.json'), 'utf8')) as JudgedPaper[];
}

export function readLabels(): Labels {
  return JSON.parse(readFileSync(path.join(here, 'labels.json'), 'utf8')) as Labels;
}
