import type { DatasetInfo } from '../dataset/build-dataset.js';
import type { ImportResult } from '../run-import.js';
import type { MicroResult } from '../run-micro.js';
import type { PapermailRunResult } from '../run-papermail.js';
import type { ReferenceResult } from '../run-reference.js';
import { median, type Span } from './measure.js';
import type { ProfileSummary } from './profile-summary.js';

const MIB = 1024 * 1024;

/** What the sink saw during one step. */
export interface SinkDelta {
  accepted: number;
  bytes: number;
  cpuMs: number;
}

export interface RunPair {
  papermail: PapermailRunResult;
  papermailSink: SinkDelta;
  reference: ReferenceResult;
  referenceSink: SinkDelta;
}

/** The median of each figure over a size's runs (each figure on its own). */
export interface MedianFigures {
  runs: number;
  digests: number;
  compile: Span;
  plan: Span;
  send: Span;
  total: Span;
  reference: Span;
  /** Subscribers ranked per second in the plan phase. */
  planRate: number;
  /** Digests per second in the send phase alone. */
  sendRate: number;
  /** Digests per second over the whole run (compile + plan + send): the issue's "end to end". */
  endToEndRate: number;
  referenceRate: number;
  /** endToEndRate / referenceRate, each run against the reference measured right after it. */
  ratio: number;
  sendRatio: number;
  peakRssBytes: number;
  baselineRssBytes: number;
  /** Heap in use after a full GC once the run is done: what it kept (not what it allocated). */
  retainedHeapBytes: number;
  peakHeapBytes: number;
  referencePeakRssBytes: number;
  messageBytes: number;
  sendCpuPerDigestMs: number;
  referenceCpuPerMessageMs: number;
  sinkCpuPerMessageMs: number;
  eventLoopMaxMs: number;
  /** Send phase: CPU per digest inside each timed method (µs), and the rest. */
  sendMicrosPerDigest: Record<string, number>;
  planMicrosPerSubscriber: Record<string, number>;
}

export interface SizeReport {
  subscribers: number;
  dataset: DatasetInfo;
  micro: MicroResult;
  runs: RunPair[];
  /** One `papermail run` through the compiled CLI, no TypeScript loader: papermail's own peak RSS. */
  cli: CliRunReport;
  median: MedianFigures;
}

export interface CliRunInput {
  env: Record<string, string>;
  digestDate: string;
  now: string;
}

export interface CliRunReport {
  exitCode: number;
  output: string[];
  wallMs: number;
  cpuMs: number;
  /** The process's high-water RSS (`process.resourceUsage().maxRSS`). */
  peakRssBytes: number;
  /** Digests the sink accepted during the run. */
  sent: number;
}

export interface Target {
  name: string;
  target: string;
  measured: string;
  met: boolean | null;
}

export interface BenchResults {
  startedAt: string;
  finishedAt: string;
  machine: { cpus: number; cpuModel: string; memoryGb: number; node: string; platform: string };
  setup: {
    sink: string;
    connections: number;
    maxMessages: number;
    papers: number;
    historyDays: number;
    digestSize: number;
    seed: number;
    maxOldSpaceMb: number | null;
    runs: Record<string, number>;
    gitCommit: string | null;
    gitDirty: boolean | null;
  };
  sizes: SizeReport[];
  import: ImportResult | null;
  profile: (ProfileSummary & { subscribers: number }) | null;
  targets: Target[];
}

export function medianFigures(runs: readonly RunPair[]): MedianFigures {
  const m = (pick: (run: RunPair) => number) => median(runs.map(pick));
  const span = (pick: (run: RunPair) => Span): Span => ({ wallMs: m((run) => pick(run).wallMs), cpuMs: m((run) => pick(run).cpuMs) });
  const sent = (run: RunPair) => run.papermail.summary.sent;
  const perDigest = (totals: (run: RunPair) => Record<string, { ms: number }>, per: (run: RunPair) => number, rest?: (run: RunPair) => number) => {
    const names = [...new Set(runs.flatMap((run) => Object.keys(totals(run))))];
    const out: Record<string, number> = {};
    for (const name of names) {
      const value = m((run) => ((totals(run)[name]?.ms ?? 0) * 1000) / Math.max(1, per(run)));
      if (value > 0) out[name] = value;
    }
    if (rest) out['(rest)'] = m(rest);
    return out;
  };
  const sumMs = (totals: Record<string, { ms: number }>) => Object.values(totals).reduce((sum, entry) => sum + entry.ms, 0);
  return {
    runs: runs.length,
    digests: m(sent),
    compile: span((run) => run.papermail.compile),
    plan: span((run) => run.papermail.plan),
    send: span((run) => run.papermail.send),
    total: span((run) => run.papermail.total),
    reference: span((run) => run.reference.send),
    planRate: m((run) => run.papermail.summary.subscribersRanked / (run.papermail.plan.wallMs / 1000)),
    sendRate: m((run) => sent(run) / (run.papermail.send.wallMs / 1000)),
    endToEndRate: m((run) => sent(run) / (run.papermail.total.wallMs / 1000)),
    referenceRate: m((run) => run.reference.sent / (run.reference.send.wallMs / 1000)),
    ratio: m((run) => sent(run) / run.papermail.total.wallMs / (run.reference.sent / run.reference.send.wallMs)),
    sendRatio: m((run) => sent(run) / run.papermail.send.wallMs / (run.reference.sent / run.reference.send.wallMs)),
    peakRssBytes: m((run) => run.papermail.memory.peaks.kernelPeakRssBytes ?? run.papermail.memory.peaks.sampledPeakRssBytes),
    baselineRssBytes: m((run) => run.papermail.memory.baselineRssBytes),
    retainedHeapBytes: m((run) => run.papermail.memory.heapRetainedBytes ?? Number.NaN),
    peakHeapBytes: m((run) => run.papermail.memory.peaks.sampledPeakHeapBytes),
    referencePeakRssBytes: m((run) => run.reference.memory.peaks.kernelPeakRssBytes ?? run.reference.memory.peaks.sampledPeakRssBytes),
    messageBytes: m((run) => run.papermailSink.bytes / Math.max(1, run.papermailSink.accepted)),
    sendCpuPerDigestMs: m((run) => run.papermail.send.cpuMs / Math.max(1, sent(run))),
    referenceCpuPerMessageMs: m((run) => run.reference.send.cpuMs / Math.max(1, run.reference.sent)),
    sinkCpuPerMessageMs: m((run) => run.referenceSink.cpuMs / Math.max(1, run.referenceSink.accepted)),
    eventLoopMaxMs: m((run) => run.papermail.eventLoop.maxMs),
    sendMicrosPerDigest: medianOfRecords(runs.map((run) => sendBreakdown(run.papermail))),
    planMicrosPerSubscriber: perDigest(
      (run) => run.papermail.planMethods,
      (run) => run.papermail.summary.subscribersRanked,
      (run) => ((run.papermail.plan.cpuMs - sumMs(run.papermail.planMethods)) * 1000) / Math.max(1, run.papermail.summary.subscribersRanked),
    ),
  };
}

/** Send phase CPU per digest by timed method (µs), and the rest of the send phase's CPU. */
export function sendBreakdown(run: PapermailRunResult): Record<string, number> {
  const sent = Math.max(1, run.summary.sent);
  const out: Record<string, number> = {};
  let timed = 0;
  for (const [name, { ms }] of Object.entries(run.sendMethods)) {
    timed += ms;
    if (ms > 0) out[name] = (ms * 1000) / sent;
  }
  out['(rest)'] = ((run.send.cpuMs - timed) * 1000) / sent;
  return out;
}

function medianOfRecords(records: readonly Record<string, number>[]): Record<string, number> {
  const names = [...new Set(records.flatMap((record) => Object.keys(record)))];
  return Object.fromEntries(names.map((name) => [name, median(records.map((record) => record[name] ?? 0))]));
}

/** The issue's targets, from whatever sizes ran (a size that did not run is "not measured"). */
export function evaluateTargets(sizes: readonly SizeReport[]): Target[] {
  const small = sizes.find((size) => size.subscribers === 10_000) ?? null;
  const large = sizes.find((size) => size.subscribers === 100_000) ?? null;
  const targets: Target[] = [];
  const add = (name: string, target: string, value: number | null, met: (value: number) => boolean, show: (value: number) => string) =>
    targets.push({ name, target, measured: value === null ? 'not measured' : show(value), met: value === null ? null : met(value) });

  add('10k: end-to-end rate', '≥ 1,000 digests/s', small?.median.endToEndRate ?? null, (v) => v >= 1000, (v) => `${int(v)} digests/s`);
  add('10k: share of the pre-built reference', '≥ 70%', small?.median.ratio ?? null, (v) => v >= 0.7, (v) => `${pct(v)} of ${int(small!.median.referenceRate)} msgs/s`);
  add('100k: end-to-end rate', '≥ 1,000 digests/s', large?.median.endToEndRate ?? null, (v) => v >= 1000, (v) => `${int(v)} digests/s`);
  add(
    '100k: no slowdown from size',
    '≥ 90% of the 10k rate',
    large && small ? large.median.endToEndRate / small.median.endToEndRate : null,
    (v) => v >= 0.9,
    (v) => `${pct(v)} (${int(large!.median.endToEndRate)} vs ${int(small!.median.endToEndRate)} digests/s)`,
  );
  // Memory is papermail's own: the compiled CLI's run, without the benchmark's TypeScript loader.
  add('100k: peak RSS (papermail run, compiled)', '< 300 MiB', large?.cli.peakRssBytes ?? null, (v) => v < 300 * MIB, mb);
  add(
    'peak RSS growth 10k → 100k',
    '< 100 MiB',
    large && small ? large.cli.peakRssBytes - small.cli.peakRssBytes : null,
    (v) => v < 100 * MIB,
    (v) => `${v >= 0 ? '+' : ''}${mb(v)}`,
  );
  const rankSize = large ?? small;
  if (large || !small) {
    add(`rank 100k subscribers × ${large?.micro.candidates ?? 500} papers`, '< 2 s CPU', large?.micro.rank.total.cpuMs ?? null, (v) => v < 2000, (v) => `${secs(v)} CPU`);
  } else {
    // The index's memos fill over the first tens of thousands of subscribers: 10k × 10 would overstate 100k.
    targets.push({
      name: `rank 100k subscribers × ${small.micro.candidates} papers`,
      target: '< 2 s CPU',
      measured: `not measured (10k: ${secs(small.micro.rank.total.cpuMs)} CPU, memos warming up)`,
      met: null,
    });
  }
  // The issue's figures are for a 15-paper digest; the mean digest of the day is smaller.
  const render = rankSize?.micro.render ?? null;
  add(
    'render per 15-paper digest',
    '< 0.2 ms',
    render ? (render.fifteenPaperMeanMs ?? render.meanMs) : null,
    (v) => v < 0.2,
    (v) => `${v.toFixed(3)} ms (mean digest, ${render!.meanPapers.toFixed(1)} papers: ${render!.meanMs.toFixed(3)} ms)`,
  );
  return targets;
}

// ---------------------------------------------------------------------------------------------
// The printed report.

export function formatReport(results: BenchResults): string {
  const out: string[] = [];
  const { machine, setup } = results;
  out.push('');
  out.push(`papermail benchmark · ${results.startedAt} · Node ${machine.node} · ${machine.cpus} × ${machine.cpuModel} · ${machine.memoryGb} GB`);
  out.push(`commit ${setup.gitCommit ?? 'unknown'}${setup.gitDirty ? ' + uncommitted changes' : ''}`);
  out.push(`relay: ${setup.sink}`);
  out.push(
    `sender: papermail's SMTP mailer (a worker thread of SMTP connections), ${setup.connections} connections (SMTP_MAX_CONNECTIONS), ${int(setup.maxMessages)} messages per connection` +
      (setup.maxOldSpaceMb === null ? '' : `, node --max-old-space-size=${setup.maxOldSpaceMb}`),
  );
  const first = results.sizes[0];
  if (first) {
    const d = first.dataset;
    out.push(
      `day: ${d.papers.candidates} candidate papers (${d.papers.total} stored, text from ${d.papers.source}), ${setup.digestSize}-paper digests, ` +
        `${setup.historyDays} days of sent history, interests: ${d.interests.meanTopics.toFixed(1)} topics + ${d.interests.meanKeywords.toFixed(1)} keywords per subscriber`,
    );
  }

  for (const size of results.sizes) {
    const f = size.median;
    const m = size.micro;
    out.push('');
    out.push(
      `── ${int(size.subscribers)} subscribers · ${int(f.digests)} digests (${int(size.dataset.subscribers.active - f.digests)} with nothing new) · ` +
        `${(f.messageBytes / 1024).toFixed(1)} KB per message · median of ${f.runs} run${f.runs === 1 ? '' : 's'}`,
    );
    out.push(
      table(
        ['stage', 'wall', 'CPU', 'rate', 'peak RSS'],
        [
          ['compile template (MJML, once; overlaps plan)', secs(f.compile.wallMs), '', '', ''],
          ['plan: rank + dedupe + ledger writes', secs(f.plan.wallMs), secs(f.plan.cpuMs), `${int(f.planRate)} subscribers/s`, ''],
          ['send: render + MIME + SMTP + ledger', secs(f.send.wallMs), secs(f.send.cpuMs), `${int(f.sendRate)} digests/s`, ''],
          ['papermail end to end', secs(f.total.wallMs), secs(f.total.cpuMs), `${int(f.endToEndRate)} digests/s`, `${mb(f.peakRssBytes)} (start ${mb(f.baselineRssBytes)})`],
          ['reference: nodemailer, pre-built', secs(f.reference.wallMs), secs(f.reference.cpuMs), `${int(f.referenceRate)} msgs/s`, mb(f.referencePeakRssBytes)],
        ],
      ),
    );
    out.push(
      `papermail / reference: ${pct(f.ratio)} end to end, ${pct(f.sendRatio)} send phase alone · sender CPU per message: papermail ${f.sendCpuPerDigestMs.toFixed(2)} ms, ` +
        `reference ${f.referenceCpuPerMessageMs.toFixed(2)} ms · sink CPU ${f.sinkCpuPerMessageMs.toFixed(2)} ms per message · event loop held up to ${secs(f.eventLoopMaxMs)}`,
    );
    out.push(`memory: peak RSS ${mb(f.peakRssBytes)} (process start ${mb(f.baselineRssBytes)}, tsx included) · peak heap ${mb(f.peakHeapBytes)} · heap kept after the run ${mb(f.retainedHeapBytes)}`);
    out.push(
      `papermail run, the compiled CLI without tsx (one run): ${int(size.cli.sent / (size.cli.wallMs / 1000))} digests/s end to end, ` +
        `${secs(size.cli.cpuMs)} CPU, peak RSS ${mb(size.cli.peakRssBytes)}`,
    );
    out.push(`send phase, CPU per digest: ${breakdown(f.sendMicrosPerDigest)}`);
    out.push(`plan phase, CPU per subscriber: ${breakdown(f.planMicrosPerSubscriber)}`);
    out.push(
      table(
        ['stage, alone', 'measured', 'issue\'s "good way"'],
        [
          ['rank index (500 papers, once per run)', ms(m.indexBuild.wallMs), ''],
          [`rank per subscriber (${int(m.rank.subscribers)}, cold index)`, `${m.rank.perSubscriberMicros.toFixed(1)} µs · ${secs(m.rank.total.cpuMs)} CPU`, '~11 µs'],
          ['  of which the first page (fills the memos)', `${secs(m.rank.firstPage.wallMs)} for 1,000`, ''],
          ['"already sent?", set-based, per 10k subscribers', `${ms(m.alreadySent.per10kMs)} (${int((m.alreadySent.rows * 10_000) / m.alreadySent.subscribers)} rows)`, '~10 ms'],
          ['render per digest', `${m.render.meanMs.toFixed(3)} ms (p99 ${m.render.p99Ms.toFixed(3)}) · 15 papers ${m.render.fifteenPaperMeanMs?.toFixed(3) ?? '–'} ms`, '~0.1 ms'],
          ['  HTML / text size', `${kb(m.render.meanHtmlBytes)} / ${kb(m.render.meanTextBytes)} (mean ${m.render.meanPapers.toFixed(1)} papers)`, ''],
          ['compose headers per digest', `${m.compose.meanMicros.toFixed(0)} µs (with the Message-ID)`, ''],
          ['link tokens per digest (manage + unsubscribe)', `${m.links.perDigestMicros.toFixed(1)} µs · Message-ID ${m.links.messageIdMicros.toFixed(1)} µs`, ''],
          ['  feedback links per digest (2 per paper)', m.links.feedbackPerDigestMicros === null ? 'none in this papermail' : `${m.links.feedbackPerDigestMicros.toFixed(0)} µs`, ''],
          ['MIME build per message (buildMime, QP), CPU', `${m.mime.meanMs.toFixed(3)} ms · ${kb(m.mime.meanRawBytes)} (15 papers ${m.mime.meanRawBytes15 === null ? '–' : kb(m.mime.meanRawBytes15)})`, ''],
          ['ledger: plan writes, one transaction per page', `${int(m.ledger.createRowsPerSecond)} rows/s (${int(m.ledger.createRows)} rows)`, '~300k rows/s'],
          ['ledger: claim + mark sent, per delivery', `${m.ledger.perDeliveryMicros.toFixed(0)} µs · ${int(m.ledger.sentRowsPerSecond)} rows/s`, ''],
        ],
      ),
    );
  }

  if (results.import) {
    const i = results.import;
    out.push('');
    out.push(
      `CSV import (papermail subscribers import --confirmed), ${int(i.rows)} rows, ${mb(i.fileBytes)}: ${secs(i.span.wallMs)} wall, ${secs(i.span.cpuMs)} CPU, ` +
        `${int(i.rowsPerSecond)} rows/s, peak RSS ${mb(i.memory.peaks.kernelPeakRssBytes ?? i.memory.peaks.sampledPeakRssBytes)}` +
        (i.exitCode === 0 ? '' : ` · EXIT CODE ${i.exitCode}: ${i.output.join(' / ')}`),
    );
  }

  if (results.profile) {
    const p = results.profile;
    out.push('');
    out.push(`CPU profile of one run (${int(p.subscribers)} subscribers, node --cpu-prof), ${secs(p.totalMs)} busy; by area:`);
    out.push(`  ${p.byArea.slice(0, 10).map((e) => `${e.name} ${pct(e.share)}`).join(' · ')}`);
    out.push('  top functions (self time):');
    for (const e of p.topSelf.slice(0, 12)) out.push(`    ${pct(e.share).padStart(6)}  ${e.name}`);
  }

  out.push('');
  out.push('targets (issue 6):');
  out.push(table(['', 'target', 'measured', ''], results.targets.map((t) => [t.name, t.target, t.measured, t.met === null ? '–' : t.met ? '✓' : '✗'])));
  out.push('');
  return out.join('\n');
}

function breakdown(micros: Record<string, number>): string {
  return Object.entries(micros)
    .sort((a, b) => b[1] - a[1])
    .map(([name, value]) => `${name} ${value.toFixed(value < 10 ? 1 : 0)} µs`)
    .join(' · ');
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) => `  ${cells.map((cell, i) => cell.padEnd(widths[i]!)).join('   ')}`.trimEnd();
  return [line(header), line(widths.map((width) => '─'.repeat(width))), ...rows.map(line)].join('\n');
}

export function int(value: number): string {
  return Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : '–';
}

export function pct(value: number): string {
  return Number.isFinite(value) ? `${Math.round(value * 100)}%` : '–';
}

export function secs(milliseconds: number): string {
  if (!Number.isFinite(milliseconds)) return '–';
  return milliseconds >= 1000 ? `${(milliseconds / 1000).toFixed(2)} s` : `${Math.round(milliseconds)} ms`;
}

export function ms(milliseconds: number): string {
  return milliseconds >= 1000 ? secs(milliseconds) : `${milliseconds.toFixed(milliseconds < 10 ? 2 : 0)} ms`;
}

export function mb(bytes: number): string {
  return Number.isFinite(bytes) ? `${Math.round(bytes / MIB)} MiB` : '–';
}

export function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}
