import { parseArgs } from 'node:util';
import { TAXONOMY } from '../rank/taxonomy.js';
import { openApp, type CommandContext } from './context.js';

/** `topics`: the taxonomy subscribers choose from. */
export async function topicsCommand(args: string[], context: CommandContext): Promise<number> {
  parseArgs({ args, options: {} });
  const width = Math.max(...TAXONOMY.map((topic) => topic.slug.length));
  for (const topic of TAXONOMY) context.out(`${topic.slug.padEnd(width)}  ${topic.label}: ${topic.description}`);
  return 0;
}

/** `feeds`: every source with its last success and its last error. */
export async function feedsCommand(args: string[], context: CommandContext): Promise<number> {
  parseArgs({ args, options: {} });
  const app = openApp(context);
  try {
    const feeds = app.store.listFeeds();
    if (feeds.length === 0) context.out('no feeds fetched yet: papermail ingest');
    for (const feed of feeds) {
      const state = feed.errorCount > 0 ? `FAILING (${feed.errorCount}x): ${feed.lastError}` : 'ok';
      context.out(`${feed.url}\n  ${state} · last success ${feed.lastSuccessAt ?? 'never'} · last fetch ${feed.lastFetchedAt ?? 'never'}`);
    }
    return 0;
  } finally {
    await app.close();
  }
}

/** `status`: recent runs, today's ledger, and deliveries that need a look. */
export async function statusCommand(args: string[], context: CommandContext): Promise<number> {
  parseArgs({ args, options: {} });
  const app = openApp(context);
  try {
    const { store } = app;
    const subscribers = store.countSubscribersByStatus();
    context.out(`subscribers: ${Object.entries(subscribers).map(([status, n]) => `${n} ${status}`).join(', ') || 'none'}`);
    context.out(`papers: ${store.countPapers()} · mail: ${app.mailer.describe()}`);
    const today = store.deliveryCounts(app.today());
    context.out(`today (${app.today()}): ${Object.entries(today).map(([status, n]) => `${n} ${status}`).join(', ') || 'no deliveries yet'}`);
    context.out('recent runs:');
    for (const run of store.recentRuns(5)) {
      const send = (run.summary as { send?: { sent: number; failed: number; uncertain: number } } | null)?.send;
      const counts = send ? ` sent ${send.sent}, failed ${send.failed}, uncertain ${send.uncertain}` : '';
      context.out(`  #${run.id} ${run.digestDate ?? ''} ${run.status} started ${run.startedAt}${counts}`);
    }
    const attention = store.deliveriesNeedingAttention(20);
    if (attention.length > 0) {
      context.out('deliveries needing attention:');
      for (const delivery of attention) {
        context.out(`  ${delivery.digestDate} subscriber #${delivery.subscriberId} ${delivery.status} after ${delivery.attempts} attempt(s): ${delivery.lastError ?? ''}`);
      }
    }
    return 0;
  } finally {
    await app.close();
  }
}
