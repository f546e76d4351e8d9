/** `YYYY-MM-DD` of `now` in `timeZone`: the digest date a run at `now` belongs to. */
export function digestDateFor(now: Date, timeZone: string): string {
  // en-CA formats dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** True for a real calendar date written `YYYY-MM-DD`. */
export function isDigestDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

export const DAY_MS = 24 * 60 * 60 * 1000;
