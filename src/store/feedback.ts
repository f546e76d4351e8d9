import type { Database } from 'better-sqlite3';
import type { Feedback, FeedbackDirection, Paper } from '../domain.js';
import { paperFromRow } from './papers.js';

export function createFeedbackQueries(db: Database) {
  const upsert = db.prepare(`
    INSERT INTO feedback (subscriber_id, paper_id, direction, created_at) VALUES (?, ?, ?, ?)
    ON CONFLICT (subscriber_id, paper_id) DO UPDATE SET direction = excluded.direction, created_at = excluded.created_at`);
  const remove = db.prepare('DELETE FROM feedback WHERE subscriber_id = ? AND paper_id = ?');
  const ofSubscriber = db.prepare<[number], Record<string, unknown>>(`
    SELECT f.direction AS f_direction, f.created_at AS f_created_at, p.*
    FROM feedback f JOIN papers p ON p.id = f.paper_id
    WHERE f.subscriber_id = ? ORDER BY f.created_at DESC`);
  const inRange = db.prepare<[number, number], { subscriber_id: number; paper_id: number; direction: FeedbackDirection; created_at: string }>(
    'SELECT subscriber_id, paper_id, direction, created_at FROM feedback WHERE subscriber_id BETWEEN ? AND ?',
  );
  const paperById = db.prepare<[number], Parameters<typeof paperFromRow>[0]>('SELECT * FROM papers WHERE id = ?');

  return {
    recordFeedback(subscriberId: number, paperId: number, direction: FeedbackDirection, at: Date): void {
      upsert.run(subscriberId, paperId, direction, at.toISOString());
    },
    removeFeedback(subscriberId: number, paperId: number): boolean {
      return remove.run(subscriberId, paperId).changes > 0;
    },
    /** One subscriber's clicks with their papers, newest first (preferences page). */
    feedbackOf(subscriberId: number): (Feedback & { paper: Paper })[] {
      return ofSubscriber.all(subscriberId).map((row) => ({
        paperId: row.id as number,
        direction: row.f_direction as FeedbackDirection,
        at: row.f_created_at as string,
        paper: paperFromRow(row as unknown as Parameters<typeof paperFromRow>[0]),
      }));
    },
    /** Clicks of subscribers `fromId..toId`, one read for a page of subscribers. */
    feedbackInRange(fromId: number, toId: number): Map<number, Feedback[]> {
      const bySubscriber = new Map<number, Feedback[]>();
      for (const row of inRange.iterate(fromId, toId)) {
        let list = bySubscriber.get(row.subscriber_id);
        if (!list) bySubscriber.set(row.subscriber_id, (list = []));
        list.push({ paperId: row.paper_id, direction: row.direction, at: row.created_at });
      }
      return bySubscriber;
    },
    getPaper(id: number): Paper | undefined {
      const row = paperById.get(id);
      return row ? paperFromRow(row) : undefined;
    },
  };
}

export type FeedbackQueries = ReturnType<typeof createFeedbackQueries>;
