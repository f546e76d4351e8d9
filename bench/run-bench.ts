/**
 * `npm run bench`: papermail's daily run, measured end to end on a realistic day, next to a
 * reference (nodemailer sending pre-built messages of the same size) measured in the same run.
 *
 * Every step runs in its own Node process (clean heap, its own peak RSS, like a daily
 * `papermail run`); the SMTP sink runs in another, so sender and relay each have a core of this
 * two-core machine, as in production. All traffic stays on 127.0.0.1. See bench/README-section.md.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { DatasetInfo } from './dataset/build-dataset.js';
import type { PrepareInput } from './prepare-dataset.js';
import type { ImportInput, ImportResult } from './run-import.js';
import type { MicroInput, MicroResult } from './run-micro.js';
import type { PapermailRunInput, PapermailRunResult } from './run-papermail.js';
import type { ReferenceInput, ReferenceResult } from './run-reference.js';
import { BENCH_DIR, runChild, startSinkProcess, type SinkProcess } from './support/child.js';
import { benchEnv } from './support/settings.js';
import { summarizeProfile } from './support/profile-summary.js';
import {
  evaluateTargets,
  formatReport,
  medianFigures,
  secs,
  sendBreakdown,
  type BenchResults,
  type CliRunInput,
  type CliRunReport,
  type RunPair,
  type SinkDelta,
  type SizeReport,
} from './support/report.js';

const USAGE = `usage: npm run bench -- [options]

  --quick                 10k subscribers, 1 run, 10k-row CSV import (about a minute)
  --subscribers 10000,100000
                          the sizes to run (default both)
  --runs N                runs per size; the median is reported (default 3 up to 10k, 1 above)
  --connections N         SMTP_MAX_CONNECTIONS for papermail and the reference (default 5)
  --max-messages N        SMTP_MAX_MESSAGES (default 1000)
  --papers N              candidate papers in the day (default 500)
  --history-days N        days of digests already sent (default 7)
  --digest-size N         papers per digest asked for (default 15)
  --import-rows N         rows of the CSV import (default 100000; 0 skips it)
  --max-old-space MB      run papermail with node --max-old-space-size=MB (a capped heap: less RSS, more GC)
  --profile               one extra run under node --cpu-prof, summarized
  --seed N                the generated day's seed (default 20261203)
  --keep                  keep the generated databases (printed path)`;

const DIGEST_DATE = '2026-12-03';
const RUN_AT = `${DIGEST_DATE}T07:00:00.000Z`;
const WINDOW_DAYS = 7;

interface Options {
  sizes: number[];
  runs: (size: number) => number;
  connections: number;
  maxMessages: number;
  papers: number;
  historyDays: number;
  digestSize: number;
  importRows: number;
  profile: boolean;
  /** node --max-old-space-size for papermail's runs; null leaves V8's default. */
  maxOldSpaceMb: number | null;
  seed: number;
  keep: boolean;
}

async function main(): Promise<number> {
  const options = readOptions(process.argv.slice(2));
  if (options === 'help') return 0;
  if (!options) return 2;
  const startedAt = new Date();
  const work = mkdtempSync(path.join(os.tmpdir(), 'papermail-bench-'));
  const sink = await startSinkProcess();
  note(`SMTP sink listening on 127.0.0.1:${sink.port} (separate process); work dir ${work}`);
  try {
    const sizes: SizeReport[] = [];
    let profile: BenchResults['profile'] = null;
    for (const subscribers of options.sizes) {
      const dir = path.join(work, String(subscribers));
      mkdirSync(dir);
      const day = path.join(dir, 'day.db');
      const step = progress(`${short(subscribers)}: generating the day (papers, subscribers, ${options.historyDays} days of history)`);
      const prepare: PrepareInput = {
        path: day,
        subscribers,
        papers: options.papers,
        windowDays: WINDOW_DAYS,
        historyDays: options.historyDays,
        digestSize: options.digestSize,
        now: RUN_AT,
        seed: options.seed,
      };
      const dataset = await runChild<PrepareInput, DatasetInfo>('prepare-dataset.ts', prepare);
      step(`${short(dataset.history.sentPapers)} sent-paper rows, ${Math.round(dataset.fileBytes / 1024 / 1024)} MiB`);

      const settings = { smtpPort: sink.port, connections: options.connections, maxMessages: options.maxMessages, windowDays: WINDOW_DAYS, digestSize: options.digestSize };
      const heap = options.maxOldSpaceMb === null ? [] : [`--max-old-space-size=${options.maxOldSpaceMb}`];
      const microStep = progress(`${short(subscribers)}: stages one at a time`);
      const micro = await withCopy(day, dir, 'micro', (databasePath) =>
        runChild<MicroInput, MicroResult>('run-micro.ts', {
          ...settings,
          databasePath,
          digestDate: DIGEST_DATE,
          now: RUN_AT,
          renderSamples: 2000,
          mimeSamples: 500,
          ledgerSubscribers: 10_000,
        }),
      );
      microStep();

      const runs: RunPair[] = [];
      const count = options.runs(subscribers);
      for (let run = 1; run <= count; run++) {
        const runStep = progress(`${short(subscribers)}: run ${run}/${count}, papermail`);
        const papermail = await withCopy(day, dir, 'run', (databasePath) => measuredRun(sink, { ...settings, databasePath, digestDate: DIGEST_DATE, now: RUN_AT }, heap));
        runStep(`${Math.round(papermail.result.summary.sent / (papermail.result.total.wallMs / 1000))} digests/s`);
        const referenceStep = progress(`${short(subscribers)}: run ${run}/${count}, reference`);
        const reference = await withCopy(day, dir, 'reference', (databasePath) =>
          referenceRun(sink, { ...settings, databasePath, digestDate: DIGEST_DATE, now: RUN_AT, messages: papermail.result.summary.sent, distinct: 500, inFlight: options.connections }),
        );
        referenceStep(`${Math.round(reference.result.sent / (reference.result.send.wallMs / 1000))} msgs/s`);
        runs.push({ papermail: papermail.result, papermailSink: papermail.sink, reference: reference.result, referenceSink: reference.sink });
      }
      const cliStep = progress(`${short(subscribers)}: papermail run, the compiled CLI without tsx`);
      const cli = await withCopy(day, dir, 'cli', (databasePath) => cliRun(sink, { env: benchEnv({ ...settings, databasePath }), digestDate: DIGEST_DATE, now: RUN_AT }));
      cliStep(`${Math.round(cli.sent / (cli.wallMs / 1000))} digests/s, peak RSS ${Math.round(cli.peakRssBytes / 2 ** 20)} MiB`);
      const size: SizeReport = { subscribers, dataset, micro, runs, cli, median: medianFigures(runs) };
      sizes.push(size);

      if (subscribers === options.sizes[0]) {
        if (options.profile) {
          const step = progress(`${short(subscribers)}: profiled run (node --cpu-prof)`);
          const profileDir = path.join(dir, 'profile');
          mkdirSync(profileDir);
          await withCopy(day, dir, 'profiled', (databasePath) =>
            measuredRun(sink, { ...settings, databasePath, digestDate: DIGEST_DATE, now: RUN_AT }, [...heap, '--cpu-prof', `--cpu-prof-dir=${profileDir}`]),
          );
          // The main thread's profile is the largest (tsx's loader thread writes a small one too).
          const file = readdirSync(profileDir)
            .map((name) => path.join(profileDir, name))
            .sort((a, b) => statSync(b).size - statSync(a).size)[0];
          if (file) profile = { subscribers, ...summarizeProfile(file, path.resolve(BENCH_DIR, '..')) };
          step();
        }
      }
      if (!options.keep) rmSync(dir, { recursive: true, force: true });
    }

    let imported: ImportResult | null = null;
    if (options.importRows > 0) {
      const dir = path.join(work, 'import');
      mkdirSync(dir);
      const step = progress(`CSV import of ${short(options.importRows)} rows through the CLI`);
      imported = await runChild<ImportInput, ImportResult>('run-import.ts', { rows: options.importRows, dir, seed: options.seed });
      step(`${Math.round(imported.rowsPerSecond)} rows/s`);
      if (!options.keep) rmSync(dir, { recursive: true, force: true });
    }

    const results: BenchResults = {
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      machine: {
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
        memoryGb: Math.round(os.totalmem() / 1024 ** 3),
        node: process.version,
        platform: `${os.platform()} ${os.release()}`,
      },
      setup: {
        sink: 'smtp-server in a separate process on 127.0.0.1, counting and discarding (bench/smtp-sink-process.ts)',
        connections: options.connections,
        maxMessages: options.maxMessages,
        papers: options.papers,
        historyDays: options.historyDays,
        digestSize: options.digestSize,
        seed: options.seed,
        maxOldSpaceMb: options.maxOldSpaceMb,
        runs: Object.fromEntries(options.sizes.map((size) => [String(size), options.runs(size)])),
        ...gitState(),
      },
      sizes,
      import: imported,
      profile,
      targets: evaluateTargets(sizes),
    };
    process.stdout.write(formatReport(results));
    const saved = saveResults(results);
    process.stdout.write(`results: ${path.relative(process.cwd(), saved)} (and bench/results/latest.json)\n`);
    return 0;
  } finally {
    await sink.stop();
    if (options.keep) note(`kept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
}

/** One papermail run, with what the sink received meanwhile. */
async function measuredRun(sink: SinkProcess, input: PapermailRunInput, execArgv: string[] = []): Promise<{ result: PapermailRunResult; sink: SinkDelta }> {
  const before = await sink.stats();
  // --expose-gc: the child runs one full GC after the run (off the clock) to report what the run retained.
  const result = await runChild<PapermailRunInput, PapermailRunResult>('run-papermail.ts', input, { execArgv: ['--expose-gc', ...execArgv] });
  const delta = sinkDelta(before, await sink.stats());
  if (delta.accepted !== result.summary.sent) {
    throw new Error(`bench: papermail reported ${result.summary.sent} digests sent, the sink accepted ${delta.accepted}`);
  }
  return { result, sink: delta };
}

/** `papermail run` through the compiled CLI (bench/run-cli.mjs): its wall time and its process's peak RSS. */
async function cliRun(sink: SinkProcess, input: CliRunInput): Promise<CliRunReport> {
  const before = await sink.stats();
  const result = await runChild<CliRunInput, Omit<CliRunReport, 'sent'>>('run-cli.mjs', input);
  const sent = sinkDelta(before, await sink.stats()).accepted;
  if (result.exitCode !== 0) throw new Error(`bench: papermail run exited ${result.exitCode}: ${result.output.join(' / ')}`);
  return { ...result, sent };
}

async function referenceRun(sink: SinkProcess, input: ReferenceInput): Promise<{ result: ReferenceResult; sink: SinkDelta }> {
  const before = await sink.stats();
  const result = await runChild<ReferenceInput, ReferenceResult>('run-reference.ts', input);
  return { result, sink: sinkDelta(before, await sink.stats()) };
}

function sinkDelta(before: { accepted: number; bytes: number; cpuMicros: number }, after: { accepted: number; bytes: number; cpuMicros: number }): SinkDelta {
  return { accepted: after.accepted - before.accepted, bytes: after.bytes - before.bytes, cpuMs: (after.cpuMicros - before.cpuMicros) / 1000 };
}

/** Runs a step on a fresh copy of the day's database (runs write to their ledger), then deletes the copy. */
async function withCopy<T>(day: string, dir: string, name: string, step: (databasePath: string) => Promise<T>): Promise<T> {
  const copy = path.join(dir, `${name}.db`);
  copyFileSync(day, copy);
  try {
    return await step(copy);
  } finally {
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${copy}${suffix}`, { force: true });
  }
}

function saveResults(results: BenchResults): string {
  const dir = path.join(BENCH_DIR, 'results');
  mkdirSync(dir, { recursive: true });
  const json = `${JSON.stringify(results, null, 2)}\n`;
  const file = path.join(dir, `${results.startedAt.replace(/:/g, '-').replace(/\.\d+Z$/, 'Z')}.json`);
  writeFileSync(file, json);
  writeFileSync(path.join(dir, 'latest.json'), json);
  return file;
}

function gitState(): { gitCommit: string | null; gitDirty: boolean | null } {
  try {
    const cwd = path.resolve(BENCH_DIR, '..');
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const status = execFileSync('git', ['status', '--porcelain', '--', 'src', 'templates'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return { gitCommit: commit, gitDirty: status.trim() !== '' };
  } catch {
    return { gitCommit: null, gitDirty: null };
  }
}

function readOptions(args: string[]): Options | 'help' | null {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        quick: { type: 'boolean', default: false },
        subscribers: { type: 'string' },
        runs: { type: 'string' },
        connections: { type: 'string', default: '5' },
        'max-messages': { type: 'string', default: '1000' },
        papers: { type: 'string', default: '500' },
        'history-days': { type: 'string', default: '7' },
        'digest-size': { type: 'string', default: '15' },
        'import-rows': { type: 'string' },
        profile: { type: 'boolean', default: false },
        'max-old-space': { type: 'string' },
        seed: { type: 'string', default: '20261203' },
        keep: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    process.stderr.write(`bench: ${(error as Error).message}\n\n${USAGE}\n`);
    return null;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 'help';
  }
  const problems: string[] = [];
  const whole = (name: string, raw: string | undefined, fallback: number, min: number, max: number): number => {
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (Number.isInteger(value) && value >= min && value <= max) return value;
    problems.push(`--${name} takes a whole number from ${min} to ${max} (got "${raw}")`);
    return fallback;
  };
  const sizes = (values.subscribers ?? (values.quick ? '10000' : '10000,100000')).split(',').map((raw) => whole('subscribers', raw.trim(), 0, 100, 1_000_000));
  const runs = values.runs === undefined ? null : whole('runs', values.runs, 1, 1, 20);
  const options: Options = {
    sizes: [...new Set(sizes)].sort((a, b) => a - b),
    runs: (size) => runs ?? (values.quick ? 1 : size <= 10_000 ? 3 : 1),
    connections: whole('connections', values.connections, 5, 1, 100),
    maxMessages: whole('max-messages', values['max-messages'], 1000, 1, 1_000_000),
    papers: whole('papers', values.papers, 500, 20, 20_000),
    historyDays: whole('history-days', values['history-days'], 7, 0, 365),
    digestSize: whole('digest-size', values['digest-size'], 15, 1, 50),
    importRows: whole('import-rows', values['import-rows'], values.quick ? 10_000 : 100_000, 0, 1_000_000),
    profile: values.profile,
    maxOldSpaceMb: values['max-old-space'] === undefined ? null : whole('max-old-space', values['max-old-space'], 256, 32, 65_536),
    seed: whole('seed', values.seed, 20261203, 0, 2 ** 31),
    keep: values.keep,
  };
  if (problems.length > 0) {
    process.stderr.write(`bench: ${problems.join('\nbench: ')}\n\n${USAGE}\n`);
    return null;
  }
  return options;
}

/** A step's line on stderr: its name now, its duration (and a figure) when it ends. */
function progress(label: string): (detail?: string) => void {
  const started = performance.now();
  process.stderr.write(`· ${label} …`);
  return (detail) => process.stderr.write(` ${secs(performance.now() - started)}${detail ? `, ${detail}` : ''}\n`);
}

function note(line: string): void {
  process.stderr.write(`· ${line}\n`);
}

function short(count: number): string {
  return count >= 1000 && count % 1000 === 0 ? `${count / 1000}k` : count.toLocaleString('en-US');
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`\nbench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
