import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parse as parseCsv } from 'csv-parse/sync';
import type { SubscriberStatus } from '../domain.js';
import { describeError } from '../errors.js';
import { StoreError } from '../store/errors.js';
import { normalizeEmail, type NewSubscriber } from '../store/subscribers.js';
import { checkSubscriberInput, type CheckedSubscriber } from '../subscriber-input.js';
import { openApp, readConfig, type CommandContext } from './context.js';
import { UsageError } from './usage-error.js';

const USAGE = `usage:
  papermail subscribers add <email> [--topics a,b] [--keywords "k1, k2"] [--exclude "x, y"] [--size N] [--confirmed]
  papermail subscribers import FILE.csv [--confirmed] [--skip-invalid]
  papermail subscribers list
  papermail subscribers remove <email>`;

export async function subscribersCommand(args: string[], context: CommandContext): Promise<number> {
  const [action, ...rest] = args;
  switch (action) {
    case 'add':
      return add(rest, context);
    case 'import':
      return importCsv(rest, context);
    case 'list':
      return list(rest, context);
    case 'remove':
      return remove(rest, context);
    default:
      throw new UsageError(action ? `unknown subscribers action "${action}"\n${USAGE}` : USAGE);
  }
}

function problemsText(checked: Extract<CheckedSubscriber, { ok: false }>): string {
  return Object.values(checked.problems).join('; ');
}

async function add(args: string[], context: CommandContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      topics: { type: 'string' },
      keywords: { type: 'string' },
      exclude: { type: 'string' },
      size: { type: 'string' },
      confirmed: { type: 'boolean', default: false },
    },
  });
  if (positionals.length !== 1) throw new UsageError(`subscribers add takes one email address\n${USAGE}`);
  const checked = checkSubscriberInput(
    { email: positionals[0]!, topics: values.topics, keywords: values.keywords, excluded: values.exclude, digestSize: values.size },
    readConfig(context.env).digestSize,
  );
  if (!checked.ok) throw new UsageError(problemsText(checked));
  const app = openApp(context);
  try {
    const status: SubscriberStatus = values.confirmed ? 'active' : 'pending';
    const suppressed = app.store.suppressionOf(checked.email);
    if (suppressed && status === 'active') throw new UsageError(suppressedMessage(checked.email, suppressed));
    const subscriber = app.store.addSubscriber({ email: checked.email, status, interests: checked.interests, digestSize: checked.digestSize }, app.now());
    context.out(`added ${subscriber.email} (${status}, ${describeInterests(subscriber.interests)}, up to ${subscriber.digestSize} papers)`);
    if (status === 'pending') context.out('  pending: no digest goes out until the address is confirmed (or add it with --confirmed)');
    return 0;
  } catch (error) {
    if (error instanceof StoreError && error.kind === 'duplicate') throw new UsageError(error.message);
    throw error;
  } finally {
    await app.close();
  }
}

interface CsvRow {
  email?: string;
  topics?: string;
  keywords?: string;
  exclude?: string;
  size?: string;
}

async function importCsv(args: string[], context: CommandContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { confirmed: { type: 'boolean', default: false }, 'skip-invalid': { type: 'boolean', default: false } },
  });
  if (positionals.length !== 1) throw new UsageError(`subscribers import takes one CSV file\n${USAGE}`);
  const file = positionals[0]!;
  let records: string[][];
  try {
    records = parseCsv(readFileSync(file), { skip_empty_lines: true, trim: true, bom: true, relax_column_count: true });
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${describeError(error)}`);
  }
  const header = (records[0] ?? []).map((name) => name.toLowerCase());
  if (!header.includes('email')) throw new UsageError(`${file} needs a header row: email,topics,keywords,size (topics and keywords separated by ";")`);
  const rows: CsvRow[] = records.slice(1).map((record) => Object.fromEntries(header.map((name, i) => [name, record[i]])));

  const defaultSize = readConfig(context.env).digestSize;
  const status: SubscriberStatus = values.confirmed ? 'active' : 'pending';
  const app = openApp(context);
  try {
    const good: NewSubscriber[] = [];
    const bad: string[] = [];
    const seen = new Map<string, number>();
    rows.forEach((row, index) => {
      const line = index + 2; // the header is line 1
      const checked = checkSubscriberInput(
        { email: row.email ?? '', topics: row.topics?.split(';'), keywords: row.keywords?.split(';'), excluded: row.exclude?.split(';'), digestSize: row.size },
        defaultSize,
      );
      if (!checked.ok) return void bad.push(`line ${line}: ${problemsText(checked)}`);
      const key = normalizeEmail(checked.email);
      const firstLine = seen.get(key);
      if (firstLine !== undefined) return void bad.push(`line ${line}: ${checked.email} appears already on line ${firstLine}`);
      if (app.store.findSubscriberByEmail(key)) return void bad.push(`line ${line}: ${checked.email} is already subscribed`);
      const suppressed = app.store.suppressionOf(key);
      if (suppressed && status === 'active') return void bad.push(`line ${line}: ${suppressedMessage(checked.email, suppressed)}`);
      seen.set(key, line);
      good.push({ email: checked.email, status, interests: checked.interests, digestSize: checked.digestSize });
    });
    if (bad.length > 0 && !values['skip-invalid']) {
      context.out(`nothing imported: ${bad.length} of ${rows.length} rows are invalid (fix them, or use --skip-invalid to import the rest)`);
      for (const line of bad.slice(0, 50)) context.out(`  ${line}`);
      if (bad.length > 50) context.out(`  … and ${bad.length - 50} more`);
      return 1;
    }
    const imported = app.store.addSubscribers(good, app.now());
    context.out(`imported ${imported} subscribers (${status}) from ${file}`);
    if (bad.length > 0) {
      context.out(`skipped ${bad.length} invalid rows:`);
      for (const line of bad) context.out(`  ${line}`);
    }
    return 0;
  } finally {
    await app.close();
  }
}

async function list(args: string[], context: CommandContext): Promise<number> {
  parseArgs({ args, options: {} });
  const app = openApp(context);
  try {
    let count = 0;
    for (const subscriber of app.store.iterateSubscribers()) {
      count++;
      context.out(`${subscriber.email}\t${subscriber.status}\t${describeInterests(subscriber.interests)}\tsize ${subscriber.digestSize}`);
    }
    if (count === 0) context.out('no subscribers yet: papermail subscribers add <email> --topics … --confirmed');
    return 0;
  } finally {
    await app.close();
  }
}

async function remove(args: string[], context: CommandContext): Promise<number> {
  const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
  if (positionals.length !== 1) throw new UsageError(`subscribers remove takes one email address\n${USAGE}`);
  const app = openApp(context);
  try {
    if (!app.store.removeSubscriber(positionals[0]!)) {
      context.out(`${positionals[0]} is not a subscriber`);
      return 1;
    }
    context.out(`removed ${positionals[0]} and its delivery history`);
    return 0;
  } finally {
    await app.close();
  }
}

function suppressedMessage(email: string, suppression: { reason: string; since: string }): string {
  return `${email} bounced (${suppression.reason}, since ${suppression.since}) and is suppressed: it can only come back by subscribing and confirming on the web`;
}

export function describeInterests(interests: NewSubscriber['interests']): string {
  const parts = [
    interests.topics.length > 0 ? `topics: ${interests.topics.join(', ')}` : '',
    interests.keywords.length > 0 ? `keywords: ${interests.keywords.join(', ')}` : '',
    interests.excluded.length > 0 ? `excluded: ${interests.excluded.join(', ')}` : '',
  ].filter(Boolean);
  return parts.join(' · ') || 'no interests';
}
