/** "More like this" / "less like this" clicks: one per subscriber and paper, the latest click wins. */
export const sql = /* sql */ `
CREATE TABLE feedback (
  subscriber_id INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
  paper_id      INTEGER NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
  direction     TEXT NOT NULL CHECK (direction IN ('more', 'less')),
  created_at    TEXT NOT NULL,
  PRIMARY KEY (subscriber_id, paper_id)
) WITHOUT ROWID;
`;
