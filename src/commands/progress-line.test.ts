import { describe, expect, it } from 'vitest';
import type { RunProgress } from '../jobs/run-progress.js';
import { createProgressLine, formatDuration, formatProgressLine, isCi, type ProgressLineOptions } from './progress-line.js';

const CLEAR = '\r\x1b[2K';

/** A terminal that keeps what was written, and a clock that moves only when told. */
function fakeTerminal(options: { isTTY?: boolean; columns?: number; env?: NodeJS.ProcessEnv } = {}) {
  const writes: string[] = [];
  let nowMs = 0;
  const stream = { isTTY: options.isTTY ?? true, columns: options.columns ?? 200, write: (text: string) => writes.push(text) };
  const lineOptions: ProgressLineOptions = { stream, env: options.env ?? {}, now: () => nowMs };
  return {
    writes,
    line: createProgressLine(lineOptions),
    advance(ms: number) {
      nowMs += ms;
    },
    /** What the terminal shows now: the text after the last clear. */
    shown: () => writes.join('').split(CLEAR).at(-1) ?? '',
  };
}

const plan = (done: number, total: number): RunProgress => ({ phase: 'plan', done, total });
const send = (done: number, total: number, sent = done, failed = 0): RunProgress => ({ phase: 'send', done, total, sent, failed });

describe('createProgressLine', () => {
  it.each([
    { when: 'the stream is not a TTY (a log file or a pipe)', isTTY: false, env: {} },
    { when: 'CI=true', isTTY: true, env: { CI: 'true' } },
    { when: 'CI=1', isTTY: true, env: { CI: '1' } },
    { when: 'CI names a provider', isTTY: true, env: { CI: 'woodpecker' } },
    { when: 'the terminal is dumb (TERM=dumb)', isTTY: true, env: { TERM: 'dumb' } },
  ])('writes nothing at all when $when', ({ isTTY, env }) => {
    const terminal = fakeTerminal({ isTTY, env });
    terminal.line.update(plan(0, 10));
    terminal.advance(5_000);
    terminal.line.update(plan(10, 10));
    terminal.line.update(send(3, 5, 2, 1));
    terminal.line.clear();
    terminal.line.finish();
    expect(terminal.writes).toEqual([]);
  });

  it('draws on a TTY when CI is "false", "0" or empty', () => {
    for (const CI of ['false', '0', '']) {
      const terminal = fakeTerminal({ env: { CI } });
      terminal.line.update(plan(0, 10));
      expect(terminal.writes).toEqual([`${CLEAR}papermail run · ranked 0/10 subscribers`]);
    }
  });

  it('redraws one line in place, at most every 200 ms', () => {
    const terminal = fakeTerminal();
    terminal.line.update(plan(0, 1_000));
    terminal.advance(50);
    terminal.line.update(plan(10, 1_000));
    terminal.advance(100);
    terminal.line.update(plan(20, 1_000));
    terminal.advance(50);
    terminal.line.update(plan(30, 1_000));
    expect(terminal.writes).toEqual([`${CLEAR}papermail run · ranked 0/1,000 subscribers`, `${CLEAR}papermail run · ranked 30/1,000 subscribers`]);
    expect(terminal.writes.join('')).not.toContain('\n');
  });

  it('draws a phase change and the end of a phase at once, however soon they come', () => {
    const terminal = fakeTerminal();
    terminal.line.update(plan(0, 100));
    terminal.advance(10);
    terminal.line.update(plan(100, 100));
    terminal.advance(10);
    terminal.line.update(send(0, 90));
    terminal.advance(10);
    terminal.line.update(send(1, 90));
    expect(terminal.writes).toEqual([
      `${CLEAR}papermail run · ranked 0/100 subscribers`,
      `${CLEAR}papermail run · ranked 100/100 subscribers`,
      `${CLEAR}papermail run · ranked 100/100 subscribers · sent 0/90 digests`,
    ]);
  });

  it('shows the rate and ETA of the current phase once a second of it has passed', () => {
    const terminal = fakeTerminal();
    terminal.line.update(plan(100_000, 100_000));
    terminal.line.update(send(0, 95_000));
    terminal.advance(500);
    terminal.line.update(send(600, 95_000));
    expect(terminal.shown()).toBe('papermail run · ranked 100,000/100,000 subscribers · sent 600/95,000 digests');
    terminal.advance(34_500);
    terminal.line.update(send(41_300, 95_000, 41_200, 100));
    // 41,300 settled in 35 s is 1,180/s; 53,700 left at that rate is 45.5 s, shown rounded up.
    expect(terminal.shown()).toBe('papermail run · ranked 100,000/100,000 subscribers · sent 41,200/95,000 digests · failed 100 · 1,180/s · ETA 46 s');
  });

  it('measures the rate from the first report of a phase, not from the start of the run', () => {
    const terminal = fakeTerminal();
    terminal.line.update(plan(0, 10));
    terminal.advance(60_000);
    terminal.line.update(plan(10, 10));
    terminal.line.update(send(50, 1_050));
    terminal.advance(2_000);
    terminal.line.update(send(250, 1_050));
    expect(terminal.shown()).toBe('papermail run · ranked 10/10 subscribers · sent 250/1,050 digests · 100/s · ETA 8 s');
  });

  it('keeps the rate but drops the ETA when the phase is done', () => {
    const terminal = fakeTerminal();
    terminal.line.update(plan(0, 300));
    terminal.advance(3_000);
    terminal.line.update(plan(300, 300));
    expect(terminal.shown()).toBe('papermail run · ranked 300/300 subscribers · 100/s');
  });

  it('fits the line to the terminal, dropping the finished ranking before the rate and ETA', () => {
    const terminal = fakeTerminal({ columns: 80 });
    terminal.line.update(plan(100_000, 100_000));
    terminal.line.update(send(0, 95_000));
    terminal.advance(35_000);
    terminal.line.update(send(41_300, 95_000, 41_200));
    expect(terminal.shown()).toBe('papermail run · sent 41,200/95,000 digests · 1,180/s · ETA 46 s');
    expect(terminal.shown().length).toBeLessThan(80);
  });

  it('cuts the line one column short of a very narrow terminal', () => {
    const terminal = fakeTerminal({ columns: 20 });
    terminal.line.update(send(5, 95_000));
    expect(terminal.shown()).toBe('sent 5/95,000 dige…');
    expect(terminal.shown()).toHaveLength(19);
  });

  it('clears the line on finish, so the summary starts on a clean line, and then stays quiet', () => {
    const terminal = fakeTerminal();
    terminal.line.update(plan(1, 2));
    terminal.line.finish();
    expect(terminal.writes.at(-1)).toBe(CLEAR);
    terminal.line.finish();
    terminal.advance(1_000);
    terminal.line.update(plan(2, 2));
    expect(terminal.writes).toEqual([`${CLEAR}papermail run · ranked 1/2 subscribers`, CLEAR]);
  });

  it('writes nothing on finish when nothing was drawn', () => {
    const terminal = fakeTerminal();
    terminal.line.finish();
    expect(terminal.writes).toEqual([]);
  });

  it('draws again on the next update after clear, throttle or not', () => {
    const terminal = fakeTerminal();
    terminal.line.update(plan(1, 10));
    terminal.line.clear();
    terminal.line.update(plan(2, 10));
    expect(terminal.writes).toEqual([`${CLEAR}papermail run · ranked 1/10 subscribers`, CLEAR, `${CLEAR}papermail run · ranked 2/10 subscribers`]);
  });

  it('works as a detached callback, the way onProgress receives it', () => {
    const terminal = fakeTerminal();
    const { update, finish } = terminal.line;
    update(plan(1, 2));
    finish();
    expect(terminal.writes).toEqual([`${CLEAR}papermail run · ranked 1/2 subscribers`, CLEAR]);
  });
});

describe('formatProgressLine', () => {
  it.each([
    { progress: plan(3_000, 100_000), ranked: { done: 3_000, total: 100_000 }, perSecond: null, line: 'papermail run · ranked 3,000/100,000 subscribers' },
    { progress: send(10, 20, 10, 0), ranked: null, perSecond: null, line: 'papermail run · sent 10/20 digests' },
    { progress: send(10, 20, 8, 2), ranked: null, perSecond: 0.46, line: 'papermail run · sent 8/20 digests · failed 2 · 0.5/s · ETA 22 s' },
    { progress: send(0, 1_000_000, 0, 0), ranked: null, perSecond: 250, line: 'papermail run · sent 0/1,000,000 digests · 250/s · ETA 1 h 6 min' },
  ])('formats $line', ({ progress, ranked, perSecond, line }) => {
    expect(formatProgressLine({ progress, ranked, perSecond }, 200)).toBe(line);
  });
});

describe('formatDuration', () => {
  it.each([
    { ms: 200, text: '1 s' },
    { ms: 12_000, text: '12 s' },
    { ms: 59_001, text: '1 min' },
    { ms: 200_000, text: '3 min 20 s' },
    { ms: 3_600_000, text: '1 h' },
    { ms: 3_900_000, text: '1 h 5 min' },
  ])('formats $ms ms as "$text"', ({ ms, text }) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('isCi', () => {
  it.each([
    { CI: undefined, ci: false },
    { CI: '', ci: false },
    { CI: 'false', ci: false },
    { CI: 'FALSE', ci: false },
    { CI: '0', ci: false },
    { CI: 'true', ci: true },
    { CI: '1', ci: true },
    { CI: 'github-actions', ci: true },
  ])('reads CI=$CI as $ci', ({ CI, ci }) => {
    expect(isCi(CI === undefined ? {} : { CI })).toBe(ci);
  });
});
