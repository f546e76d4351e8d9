import type { RunSummary } from '../jobs/run-digest.js';
import type { IngestSummary } from '../jobs/ingest-feeds.js';

/** The human summary of an ingest: one line per feed, failed ones with their error. */
export function formatIngest(summary: IngestSummary): string[] {
  const lines = [`feeds: ${summary.feedsOk} ok, ${summary.feedsFailed} failed · papers: ${summary.papersAdded} new, ${summary.papersUpdated} updated`];
  for (const feed of summary.feeds) {
    if (feed.status === 'fetched') {
      const skipped = feed.skippedReplacements > 0 ? `, ${feed.skippedReplacements} replacements skipped` : '';
      lines.push(`  ok       ${feed.url} (${feed.entries} entries, ${feed.added} new${skipped})`);
    } else if (feed.status === 'not-modified') {
      lines.push(`  ok       ${feed.url} (not modified)`);
    } else {
      lines.push(`  FAILED   ${feed.url}: ${feed.error} (${feed.errorCount} failure${feed.errorCount === 1 ? '' : 's'} in a row)`);
    }
  }
  return lines;
}

export function formatRun(summary: RunSummary): string[] {
  const send = summary.send;
  const lines = summary.ingest ? formatIngest(summary.ingest) : ['feeds: not fetched (--no-ingest)'];
  lines.push(
    `digest ${send.digestDate}${send.dryRun ? ' (dry run: nothing sent or recorded)' : ''}: ${send.candidatePapers} candidate papers, ${send.subscribersRanked} subscribers due`,
    `  planned ${send.planned} · no match ${send.noMatch} · sent ${send.sent} (retried ${send.retried}) · failed ${send.failed} · bounced ${send.bounced} · uncertain ${send.uncertain}` +
      (send.skipped > 0 ? ` · skipped ${send.skipped}` : '') +
      (send.expired > 0 ? ` · expired ${send.expired}` : ''),
  );
  if (send.recovered > 0) {
    lines.push(`  ${send.recovered} deliveries were interrupted by a crash and are now uncertain (the server may have them): see papermail status; RESEND_UNCERTAIN=true resends them`);
  }
  if (send.stoppedEarly) lines.push(`  STOPPED EARLY: ${send.stoppedEarly}`);
  return lines;
}
