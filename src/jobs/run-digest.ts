import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { describeError, PapermailError } from '../errors.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/open-store.js';
import { ingestFeeds, type IngestFeedsOptions, type IngestSummary } from './ingest-feeds.js';
import { sendDigests, type SendDigestsDeps, type SendDigestsOptions, type SendSummary } from './send-digests.js';

export const RUN_LOCK = 'digest-run';
/** A run renews its lock every LEASE/3; a holder silent for a whole lease is taken to be dead. */
const LEASE_MS = 60_000;

export interface RunDigestDeps extends Omit<SendDigestsDeps, 'store'> {
  store: SendDigestsDeps['store'] &
    Pick<Store, 'acquireLock' | 'renewLock' | 'takeOverLock' | 'releaseLock' | 'lockHolder' | 'startRun' | 'finishRun'> &
    Parameters<typeof ingestFeeds>[0]['store'];
}

export interface RunDigestOptions extends SendDigestsOptions {
  ingest: Omit<IngestFeedsOptions, 'signal'> | null;
}

export interface RunSummary {
  ingest: IngestSummary | null;
  send: SendSummary;
}

export class RunBusyError extends PapermailError {}

/**
 * A lock owner (`host:pid:uuid`) on this machine whose process no longer exists: a run killed with
 * SIGKILL or by a crash. Its lock is taken over at once rather than after the lease runs out.
 */
function isDeadLocalProcess(owner: string): boolean {
  const [host, pid] = owner.split(':');
  if (host !== hostname() || !pid || Number(pid) === process.pid) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * One whole digest run: take the run lock (never two runs at once), ingest, rank, render and send,
 * record the run and release the lock. Throws RunBusyError when another live run holds the lock.
 */
export async function runDigest(deps: RunDigestDeps, options: RunDigestOptions): Promise<RunSummary> {
  const { store, now } = deps;
  const log: Logger = deps.log.child({ runId: randomUUID().slice(0, 8) });
  const owner = `${hostname()}:${process.pid}:${randomUUID()}`;
  if (!store.acquireLock(RUN_LOCK, owner, now(), LEASE_MS)) {
    const holder = store.lockHolder(RUN_LOCK);
    const deadHolder = holder && isDeadLocalProcess(holder.owner);
    if (!deadHolder || !store.takeOverLock(RUN_LOCK, holder.owner, owner, now())) {
      throw new RunBusyError(`another papermail run is in progress (started ${holder?.acquiredAt ?? 'just now'}); wait for it to finish`);
    }
    log.warn({ previousOwner: holder.owner }, 'took over the run lock from a run that died');
  }
  const heartbeat = setInterval(() => store.renewLock(RUN_LOCK, owner, now()), LEASE_MS / 3);
  heartbeat.unref();
  const runId = options.dryRun ? null : store.startRun('digest', options.digestDate, now());
  try {
    const ingest = options.ingest ? await ingestFeeds({ store, log, now }, { ...options.ingest, signal: options.signal }) : null;
    const send = await sendDigests({ ...deps, log }, options);
    const summary = { ingest, send };
    if (runId !== null) store.finishRun(runId, 'ok', summary, now());
    return summary;
  } catch (error) {
    if (runId !== null) store.finishRun(runId, 'failed', { error: describeError(error) }, now());
    throw error;
  } finally {
    clearInterval(heartbeat);
    store.releaseLock(RUN_LOCK, owner);
  }
}
