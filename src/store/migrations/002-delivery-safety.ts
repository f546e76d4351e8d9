/**
 * The suppression list: addresses that must not be mailed because a 5xx at RCPT TO bounced them. Keyed
 * by address, not subscriber, so removing and re-adding a subscriber does not lift it; only a confirmed
 * re-subscription does. Plus an index for the rolling per-day send limit.
 */
export const sql = /* sql */ `
CREATE TABLE suppressions (
  email_normalized TEXT PRIMARY KEY,
  reason           TEXT NOT NULL,
  created_at       TEXT NOT NULL
) WITHOUT ROWID;

INSERT OR IGNORE INTO suppressions (email_normalized, reason, created_at)
  SELECT email_normalized, 'bounced', status_changed_at FROM subscribers WHERE status = 'bounced';

-- The rolling per-day send limit counts recent sent rows.
CREATE INDEX deliveries_sent_at ON deliveries (sent_at) WHERE sent_at IS NOT NULL;
`;
