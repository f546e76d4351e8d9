import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Spaces message starts to at most `perSecond` (0: no limit), whatever the concurrency:
 * relays and providers enforce a rate, and going over it earns 4xx replies or a block.
 */
export function createSendRate(perSecond: number, signal?: AbortSignal): { take(): Promise<void> } {
  if (perSecond <= 0) return { take: async () => {} };
  const intervalMs = 1000 / perSecond;
  let nextSlot = 0;
  return {
    async take() {
      const now = performance.now();
      const slot = Math.max(now, nextSlot);
      nextSlot = slot + intervalMs;
      if (slot > now) await sleep(slot - now, undefined, { signal }).catch(() => {});
    },
  };
}
