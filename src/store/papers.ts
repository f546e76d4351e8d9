import type { Database } from 'better-sqlite3';
import type { Paper, PaperEntry } from '../domain.js';
import { readStringArray } from './json-column.js';
import { mergePaper, paperChanged } from './merge-paper.js';
import { writeTransaction } from './write-transaction.js';

interface PaperRow {
  id: number;
  key: string;
  arxiv_id: string | null;
  doi: string | null;
  title: string;
  abstract: string;
  authors_json: string;
  url: string;
  pdf_url: string | null;
  hf_url: string | null;
  code_url: string | null;
  project_url: string | null;
  categories_json: string;
  keywords_json: string;
  ai_summary: string | null;
  published_at: string | null;
  upvotes: number | null;
  trending: number;
  first_seen_at: string;
}

export function paperFromRow(row: PaperRow): Paper {
  return {
    id: row.id,
    key: row.key,
    arxivId: row.arxiv_id,
    doi: row.doi,
    title: row.title,
    abstract: row.abstract,
    authors: readStringArray(row.authors_json),
    url: row.url,
    pdfUrl: row.pdf_url,
    hfUrl: row.hf_url,
    codeUrl: row.code_url,
    projectUrl: row.project_url,
    categories: readStringArray(row.categories_json),
    keywords: readStringArray(row.keywords_json),
    aiSummary: row.ai_summary,
    publishedAt: row.published_at,
    upvotes: row.upvotes,
    trending: row.trending,
    firstSeenAt: row.first_seen_at,
  };
}

function paperParams(paper: Omit<Paper, 'id' | 'firstSeenAt'>) {
  return {
    key: paper.key,
    arxiv_id: paper.arxivId,
    doi: paper.doi,
    title: paper.title,
    abstract: paper.abstract,
    authors_json: JSON.stringify(paper.authors),
    url: paper.url,
    pdf_url: paper.pdfUrl,
    hf_url: paper.hfUrl,
    code_url: paper.codeUrl,
    project_url: paper.projectUrl,
    categories_json: JSON.stringify(paper.categories),
    keywords_json: JSON.stringify(paper.keywords),
    ai_summary: paper.aiSummary,
    published_at: paper.publishedAt,
    upvotes: paper.upvotes,
    trending: paper.trending,
  };
}

export interface UpsertPapersResult {
  /** Papers papermail had never seen. */
  added: number;
  /** Known papers whose fields this source enriched. */
  updated: number;
  /** arXiv `replace` announcements of papers papermail never saw: a new version of an old paper is not news. */
  skippedReplacements: number;
}

export function createPaperQueries(db: Database) {
  const byKey = db.prepare<[string], PaperRow>('SELECT * FROM papers WHERE key = ?');
  const insert = db.prepare(`
    INSERT INTO papers (key, arxiv_id, doi, title, abstract, authors_json, url, pdf_url, hf_url, code_url, project_url,
      categories_json, keywords_json, ai_summary, published_at, upvotes, trending, first_seen_at, updated_at)
    VALUES (@key, @arxiv_id, @doi, @title, @abstract, @authors_json, @url, @pdf_url, @hf_url, @code_url, @project_url,
      @categories_json, @keywords_json, @ai_summary, @published_at, @upvotes, @trending, @at, @at)`);
  const update = db.prepare(`
    UPDATE papers SET arxiv_id = @arxiv_id, doi = @doi, title = @title, abstract = @abstract, authors_json = @authors_json,
      url = @url, pdf_url = @pdf_url, hf_url = @hf_url, code_url = @code_url, project_url = @project_url,
      categories_json = @categories_json, keywords_json = @keywords_json, ai_summary = @ai_summary,
      published_at = @published_at, upvotes = @upvotes, trending = @trending, updated_at = @at
    WHERE id = @id`);
  const linkSource = db.prepare(
    'INSERT OR IGNORE INTO paper_sources (paper_id, feed_id, first_seen_at) VALUES (?, ?, ?)',
  );
  const seenSince = db.prepare<[string], PaperRow>('SELECT * FROM papers WHERE first_seen_at >= ? ORDER BY id');
  const count = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM papers');

  const upsert = writeTransaction(db, (entries: readonly PaperEntry[], feedId: number | null, at: string) => {
    const result: UpsertPapersResult = { added: 0, updated: 0, skippedReplacements: 0 };
    for (const { announceType, ...entry } of entries) {
      const row = byKey.get(entry.key);
      let paperId: number;
      if (row === undefined) {
        if (announceType === 'replace' || announceType === 'replace-cross') {
          result.skippedReplacements++;
          continue;
        }
        paperId = Number(insert.run({ ...paperParams(entry), at }).lastInsertRowid);
        result.added++;
      } else {
        const existing = paperFromRow(row);
        const merged = mergePaper(existing, entry);
        if (paperChanged(existing, merged)) {
          update.run({ ...paperParams(merged), id: existing.id, at });
          result.updated++;
        }
        paperId = existing.id;
      }
      if (feedId !== null) linkSource.run(paperId, feedId, at);
    }
    return result;
  });

  return {
    /** Adds new papers and merges what this source says into known ones, in one transaction. */
    upsertPapers(entries: readonly PaperEntry[], feedId: number | null, seenAt: Date): UpsertPapersResult {
      return upsert(entries, feedId, seenAt.toISOString());
    },
    /** Papers first seen at or after `since`: the candidates for a digest. */
    papersSeenSince(since: Date): Paper[] {
      return seenSince.all(since.toISOString()).map(paperFromRow);
    },
    getPaperByKey(key: string): Paper | undefined {
      const row = byKey.get(key);
      return row ? paperFromRow(row) : undefined;
    },
    countPapers(): number {
      return count.get()?.n ?? 0;
    },
  };
}

export type PaperQueries = ReturnType<typeof createPaperQueries>;
