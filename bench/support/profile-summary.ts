import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The parts of a V8 `.cpuprofile` (written by `node --cpu-prof`) this summary reads. */
interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileEntry {
  name: string;
  ms: number;
  share: number;
}

export interface ProfileSummary {
  totalMs: number;
  /** Self time by area of the code (papermail's stages, nodemailer, SQLite, Node streams, GC). */
  byArea: ProfileEntry[];
  /** Self time by function, the top entries. */
  topSelf: ProfileEntry[];
  /** Time by function including what it calls (each sample counted once per function), the top entries. */
  topInclusive: ProfileEntry[];
}

/**
 * Where a profiled run spent its CPU. Idle time is left out of the total, so shares are of the
 * time the process was busy.
 */
export function summarizeProfile(file: string, repoRoot: string, top = 25): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const self = new Map<string, number>();
  const area = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let totalMicros = 0;
  profile.samples.forEach((id, i) => {
    const micros = profile.timeDeltas[i] ?? 0;
    const node = byId.get(id);
    if (!node || node.callFrame.functionName === '(idle)') return;
    totalMicros += micros;
    const name = label(node.callFrame, repoRoot);
    self.set(name, (self.get(name) ?? 0) + micros);
    const where = areaOf(node.callFrame, byId, parent, id);
    area.set(where, (area.get(where) ?? 0) + micros);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)!.callFrame;
      if (frame.functionName === '(root)') break;
      const key = label(frame, repoRoot);
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + micros);
    }
  });
  const entries = (map: Map<string, number>, count: number) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, count)
      .map(([name, micros]) => ({ name, ms: micros / 1000, share: micros / totalMicros }));
  return { totalMs: totalMicros / 1000, byArea: entries(area, 20), topSelf: entries(self, top), topInclusive: entries(inclusive, top) };
}

function label(frame: CpuProfile['nodes'][number]['callFrame'], repoRoot: string): string {
  const name = frame.functionName || '(anonymous)';
  if (!frame.url) return name;
  const file = frame.url.startsWith('file://') ? decodeURIComponent(new URL(frame.url).pathname) : frame.url;
  const shown = file.startsWith(repoRoot) ? path.relative(repoRoot, file).replace(/^node_modules\//, '') : file;
  return `${name} ${shown}:${frame.lineNumber + 1}`;
}

/**
 * The area a sample belongs to: the nearest frame (walking up from the sampled one) that is in
 * papermail's source or a known package; native and Node-internal frames take their caller's area.
 */
function areaOf(
  frame: CpuProfile['nodes'][number]['callFrame'],
  byId: Map<number, CpuProfile['nodes'][number]>,
  parent: Map<number, number>,
  id: number,
): string {
  if (frame.functionName === '(garbage collector)') return 'GC';
  if (frame.functionName === '(program)') return 'V8/Node (program)';
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const url = byId.get(at)!.callFrame.url;
    const known = areaOfUrl(url);
    if (known) return known;
  }
  return 'other';
}

function areaOfUrl(url: string): string | null {
  if (!url) return null;
  if (url.includes('/node_modules/better-sqlite3/') || url.includes('/dist/store/')) return 'store (SQLite)';
  if (url.includes('/node_modules/nodemailer/')) return 'nodemailer';
  if (url.includes('/node_modules/smtp-server/')) return 'smtp-server';
  if (url.includes('/node_modules/pino')) return 'logging (pino)';
  if (url.includes('/node_modules/mjml') || url.includes('/node_modules/htmlnano') || url.includes('/node_modules/juice')) return 'MJML compile';
  if (url.includes('/node_modules/')) return `package ${/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1] ?? '?'}`;
  const stage = /\/dist\/([a-z-]+)\//.exec(url)?.[1];
  if (stage) return `papermail ${stage}/`;
  if (url.includes('/dist/')) return 'papermail (root)';
  if (url.startsWith('node:')) return `Node ${url.replace(/^node:(internal\/)?/, '').split('/')[0]}`;
  return null;
}
