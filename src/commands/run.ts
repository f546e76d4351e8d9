import { parseArgs } from 'node:util';
import { isDigestDate } from '../dates.js';
import type { CommandContext } from './context.js';
import { openApp } from './context.js';
import { formatIngest, formatRun } from './format-summary.js';
import { createProgressLine } from './progress-line.js';
import { UsageError } from './usage-error.js';

export async function runCommand(args: string[], context: CommandContext): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { date: { type: 'string' }, 'dry-run': { type: 'boolean', default: false }, 'no-ingest': { type: 'boolean', default: false } },
    strict: true,
  });
  if (values.date !== undefined && !isDigestDate(values.date)) throw new UsageError(`--date expects YYYY-MM-DD, got "${values.date}"`);
  const app = openApp(context);
  // SIGTERM/SIGINT: stop taking new sends, let the ones in flight finish and be recorded, then exit.
  const shutdown = new AbortController();
  // Progress goes to stderr, stdout carries the summary; it draws only on a terminal outside CI.
  const progress = createProgressLine({ stream: process.stderr, env: context.env });
  const onSignal = (signal: NodeJS.Signals) => {
    progress.clear();
    context.err(`papermail run: ${signal} received: finishing the messages in flight, then stopping`);
    shutdown.abort();
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  try {
    const summary = await app.runDigest({ digestDate: values.date, dryRun: values['dry-run'], ingest: !values['no-ingest'], signal: shutdown.signal, onProgress: progress.update });
    progress.finish();
    for (const line of formatRun(summary)) context.out(line);
    context.out(`mail: ${app.mailer.describe()}`);
    return summary.send.stoppedEarly ? 1 : 0;
  } finally {
    progress.finish();
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
    await app.close();
  }
}

export async function ingestCommand(args: string[], context: CommandContext): Promise<number> {
  parseArgs({ args, options: {}, strict: true });
  const app = openApp(context);
  try {
    const summary = await app.ingest();
    for (const line of formatIngest(summary)) context.out(line);
    return 0;
  } finally {
    await app.close();
  }
}
