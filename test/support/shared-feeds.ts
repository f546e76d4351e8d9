import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Real third-party feed samples live beside the repository in `../shared/feeds/` (see its
 * SOURCES.md). Tests read them in place: they are other people's files and are never copied in.
 */
export const sharedFeedsDir = fileURLToPath(new URL('../../../shared/feeds/', import.meta.url));

/** False on a checkout without the samples: suites that need them are skipped, not failed. */
export const sharedFeedsAvailable = existsSync(path.join(sharedFeedsDir, 'SOURCES.md'));

/**
 * A suite name that says why it is skipped when the samples are missing, for
 * `describe.skipIf(!sharedFeedsAvailable)(sharedFeedsSuite('parseFeed on real feeds'), ...)`.
 */
export function sharedFeedsSuite(name: string): string {
  return sharedFeedsAvailable
    ? name
    : `${name} (skipped: real feed samples not found at ${sharedFeedsDir}; put the shared/ folder beside the repository)`;
}

export function sharedFeedPath(fileName: string): string {
  return path.join(sharedFeedsDir, fileName);
}

/** A sample's bytes, exactly as stored (a `.gz` stays compressed). */
export function readSharedFeed(fileName: string): Buffer {
  return readFileSync(sharedFeedPath(fileName));
}
