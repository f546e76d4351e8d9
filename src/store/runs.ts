import type { Database } from 'better-sqlite3';

export interface RunRecord {
  id: number;
  kind: string;
  digestDate: string | null;
  startedAt: string;
  finishedAt: string | null;
  status: 'running' | 'ok' | 'failed';
  summary: unknown;
}

interface RunRow {
  id: number;
  kind: string;
  digest_date: string | null;
  started_at: string;
  finished_at: string | null;
  status: RunRecord['status'];
  summary_json: string | null;
}

export function createRunQueries(db: Database) {
  const insert = db.prepare("INSERT INTO runs (kind, digest_date, started_at, status) VALUES (?, ?, ?, 'running')");
  const finish = db.prepare('UPDATE runs SET finished_at = ?, status = ?, summary_json = ? WHERE id = ?');
  const recent = db.prepare<[number], RunRow>('SELECT * FROM runs ORDER BY id DESC LIMIT ?');
  const completed = db.prepare<[string], { n: number }>(
    "SELECT count(*) AS n FROM runs WHERE kind = 'digest' AND digest_date = ? AND status = 'ok'",
  );

  return {
    startRun(kind: string, digestDate: string | null, at: Date): number {
      return Number(insert.run(kind, digestDate, at.toISOString()).lastInsertRowid);
    },
    finishRun(id: number, status: 'ok' | 'failed', summary: unknown, at: Date): void {
      finish.run(at.toISOString(), status, JSON.stringify(summary), id);
    },
    /** True when a digest run for that date finished. */
    completedRunFor(digestDate: string): boolean {
      return (completed.get(digestDate)?.n ?? 0) > 0;
    },
    recentRuns(limit: number): RunRecord[] {
      return recent.all(limit).map((row) => ({
        id: row.id,
        kind: row.kind,
        digestDate: row.digest_date,
        startedAt: row.started_at,
        finishedAt: row.finished_at,
        status: row.status,
        summary: row.summary_json ? JSON.parse(row.summary_json) : null,
      }));
    },
  };
}

export type RunQueries = ReturnType<typeof createRunQueries>;
