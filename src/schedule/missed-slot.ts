import { digestDateFor } from '../dates.js';

const MINUTE_MS = 60_000;

/**
 * The latest minute earlier today (in `timeZone`) at which the schedule fired, or null when it has not
 * fired yet today. Walks back minute by minute (at most one day), asking the schedule `matches`.
 */
export function lastSlotToday(now: Date, timeZone: string, matches: (minute: Date) => boolean): Date | null {
  const today = digestDateFor(now, timeZone);
  const start = Math.floor(now.getTime() / MINUTE_MS) * MINUTE_MS;
  for (let t = start; ; t -= MINUTE_MS) {
    const minute = new Date(t);
    if (digestDateFor(minute, timeZone) !== today) return null;
    if (matches(minute)) return minute;
  }
}
