import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

/** Wall and CPU time of a stretch of work, in milliseconds. */
export interface Span {
  wallMs: number;
  cpuMs: number;
}

/** A point in time to measure from: wall clock and this process's CPU. */
export interface Mark {
  wall: number;
  cpu: NodeJS.CpuUsage;
}

export function mark(): Mark {
  return { wall: performance.now(), cpu: process.cpuUsage() };
}

export function since(from: Mark, to: Mark = mark()): Span {
  const cpuMicros = to.cpu.user - from.cpu.user + (to.cpu.system - from.cpu.system);
  return { wallMs: to.wall - from.wall, cpuMs: cpuMicros / 1000 };
}

/** Times a synchronous function. */
export function timeSync<T>(work: () => T): { value: T; span: Span } {
  const start = mark();
  const value = work();
  return { value, span: since(start) };
}

/**
 * The kernel's view of this process's memory (Linux `/proc/self/status`): `VmHWM` is the peak
 * resident set since the process started, which catches peaks that a timer would miss while a
 * synchronous stretch of work holds the event loop. Null fields off Linux.
 */
export function kernelMemory(): { rssBytes: number | null; peakRssBytes: number | null } {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const field = (name: string) => {
      const match = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status);
      return match ? Number(match[1]) * 1024 : null;
    };
    return { rssBytes: field('VmRSS'), peakRssBytes: field('VmHWM') };
  } catch {
    return { rssBytes: null, peakRssBytes: null };
  }
}

export interface MemorySampler {
  /** Stops sampling; the peaks seen by the timer, and the kernel's peak (VmHWM) when known. */
  stop(): MemoryPeaks;
}

export interface MemoryPeaks {
  sampledPeakRssBytes: number;
  sampledPeakHeapBytes: number;
  samples: number;
  /** VmHWM: the true peak of the process's resident set, including stretches the timer could not sample. */
  kernelPeakRssBytes: number | null;
}

/** Samples `process.memoryUsage()` every `intervalMs` (50 ms by default). */
export function sampleMemory(intervalMs = 50): MemorySampler {
  let peakRss = 0;
  let peakHeap = 0;
  let samples = 0;
  const sample = () => {
    const usage = process.memoryUsage();
    peakRss = Math.max(peakRss, usage.rss);
    peakHeap = Math.max(peakHeap, usage.heapUsed);
    samples++;
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      sample();
      return { sampledPeakRssBytes: peakRss, sampledPeakHeapBytes: peakHeap, samples, kernelPeakRssBytes: kernelMemory().peakRssBytes };
    },
  };
}

/** How long the event loop was held: a progress line or the run lock's heartbeat cannot fire meanwhile. */
export function watchEventLoop(): { stop(): { maxMs: number; p99Ms: number } } {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  return {
    stop() {
      histogram.disable();
      return { maxMs: histogram.max / 1e6, p99Ms: histogram.percentile(99) / 1e6 };
    },
  };
}

/**
 * Adds up the time spent in the named synchronous methods of an object, by replacing them with
 * timed wrappers (on the object itself, so code holding a reference to it sees the wrappers).
 * Names the object lacks are skipped.
 */
export function timeMethods<T extends object>(target: T, names: readonly string[], totals: Record<string, MethodTotals>): void {
  const methods = target as Record<string, unknown>;
  for (const name of names) {
    const original = methods[name];
    // papermail changes under the benchmark: a method it no longer has is simply not timed.
    if (typeof original !== 'function') continue;
    const entry = (totals[name] ??= { calls: 0, ms: 0 });
    const wrapped = function (this: unknown, ...args: unknown[]) {
      const start = performance.now();
      try {
        return (original as (...a: unknown[]) => unknown).apply(this, args);
      } finally {
        entry.ms += performance.now() - start;
        entry.calls++;
      }
    };
    methods[name] = wrapped;
  }
}

export interface MethodTotals {
  calls: number;
  ms: number;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
