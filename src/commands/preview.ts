import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { isDigestDate } from '../dates.js';
import { previewDigest } from '../jobs/preview-digest.js';
import { openApp, type CommandContext } from './context.js';
import { UsageError } from './usage-error.js';

/** `preview <email>`: what that subscriber would get now; sends and records nothing. */
export async function previewCommand(args: string[], context: CommandContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { date: { type: 'string' }, json: { type: 'boolean', default: false }, out: { type: 'string' } },
  });
  if (positionals.length !== 1) throw new UsageError('usage: papermail preview <email> [--date YYYY-MM-DD] [--json] [--out file.html]');
  if (values.date !== undefined && !isDigestDate(values.date)) throw new UsageError(`--date expects YYYY-MM-DD, got "${values.date}"`);
  const app = openApp(context);
  try {
    const subscriber = app.store.findSubscriberByEmail(positionals[0]!);
    if (!subscriber) throw new UsageError(`${positionals[0]} is not a subscriber (see papermail subscribers list)`);
    const papers = previewDigest(app, subscriber, app.config.maxAgeDays);
    if (values.json) {
      const rows = papers.map((ranked) => ({
        key: ranked.paper.key,
        title: ranked.paper.title,
        url: ranked.paper.url,
        score: round(ranked.score),
        relevance: round(ranked.relevance),
        trending: round(ranked.trending),
        reasons: ranked.reasons,
      }));
      context.out(JSON.stringify(rows, null, 2));
      return 0;
    }
    if (papers.length === 0) {
      context.out(`nothing new matches ${subscriber.email}'s interests: no digest would be sent`);
      return 0;
    }
    const renderer = await app.renderer();
    const email = renderer.render(
      { subscriber, date: values.date ?? app.today(), papers },
      { manageUrl: app.links.manageUrl(subscriber.id), unsubscribeUrl: app.links.unsubscribeUrl(subscriber.id) },
    );
    if (values.out) {
      writeFileSync(values.out, email.html);
      context.out(`wrote ${values.out} (${papers.length} papers, ${Math.round(Buffer.byteLength(email.html) / 1024)} KB): ${email.subject}`);
    } else {
      context.out(`Subject: ${email.subject}\n\n${email.text}`);
    }
    return 0;
  } finally {
    await app.close();
  }
}

const round = (value: number) => Math.round(value * 1000) / 1000;
