/**
 * Child step: `papermail subscribers import FILE.csv --confirmed` through the CLI's own `main`,
 * into a fresh database, with a CSV of generated subscribers (written before the clock starts).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { main } from './support/shipped.js';
import { generateSubscribers } from './dataset/generate-subscribers.js';
import { childInput, childMain } from './support/child.js';
import { kernelMemory, mark, sampleMemory, since, type MemoryPeaks, type Span } from './support/measure.js';
import { SECRET } from './support/settings.js';

export interface ImportInput {
  rows: number;
  dir: string;
  seed: number;
}

export interface ImportResult {
  rows: number;
  fileBytes: number;
  exitCode: number;
  output: string[];
  span: Span;
  rowsPerSecond: number;
  memory: { baselineRssBytes: number; peaks: MemoryPeaks };
}

childMain<ImportResult>(async () => {
  const input = childInput<ImportInput>();
  const file = path.join(input.dir, 'subscribers.csv');
  const lines = ['email,topics,keywords,exclude,size'];
  for (const subscriber of generateSubscribers({ active: input.rows, inactiveShare: 0, digestSize: 15, seed: input.seed })) {
    const { topics, keywords, excluded } = subscriber.interests;
    lines.push([subscriber.email, topics.join(';'), keywords.join(';'), excluded.join(';'), String(subscriber.digestSize)].map(csvField).join(','));
  }
  const csv = `${lines.join('\n')}\n`;
  writeFileSync(file, csv);

  const output: string[] = [];
  const baselineRssBytes = kernelMemory().rssBytes ?? process.memoryUsage().rss;
  const memory = sampleMemory(50);
  const start = mark();
  const exitCode = await main(['subscribers', 'import', file, '--confirmed'], {
    env: { DATABASE_PATH: path.join(input.dir, 'import.db'), SECRET, LOG_LEVEL: 'warn' },
    out: (line = '') => void output.push(line),
    err: (line) => void output.push(line),
  });
  const span = since(start);
  const peaks = memory.stop();
  return { rows: input.rows, fileBytes: Buffer.byteLength(csv), exitCode, output: output.slice(0, 5), span, rowsPerSecond: input.rows / (span.wallMs / 1000), memory: { baselineRssBytes, peaks } };
});

function csvField(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
