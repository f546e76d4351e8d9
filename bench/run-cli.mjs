/**
 * `papermail run --no-ingest` exactly as shipped: the compiled CLI (`dist/cli.js`, what
 * `npx papermail run` executes), in plain Node with no TypeScript loader, so its peak RSS is
 * papermail's own. Settings come as environment variables, through the CLI's `loadConfig`; only the
 * clock is set (the generated day is dated), through the CLI's `overrides`, as the tests do.
 * Started by bench/run-bench.ts with `{ env, digestDate, now }` as its argument; reports on IPC.
 */
import { main } from '../dist/cli.js';

const input = JSON.parse(process.argv[2] ?? 'null');
if (!input) throw new Error('bench: run-cli.mjs is started by bench/run-bench.ts (npm run bench), not on its own');
const base = new Date(input.now).getTime();
const clockStart = performance.now();
const output = [];
const cpuStart = process.cpuUsage();
const exitCode = await main(['run', '--no-ingest', '--date', input.digestDate], {
  env: input.env,
  out: (line = '') => output.push(line),
  err: (line) => output.push(line),
  overrides: { now: () => new Date(base + performance.now() - clockStart) },
});
const cpu = process.cpuUsage(cpuStart);
const wallMs = performance.now() - clockStart;
// maxRSS: the kernel's high-water mark for this process, in KiB.
const result = { exitCode, output, wallMs, cpuMs: (cpu.user + cpu.system) / 1000, peakRssBytes: process.resourceUsage().maxRSS * 1024 };
process.send({ type: 'result', result }, () => process.exit(0));
