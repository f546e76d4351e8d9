import cron from 'node-cron';
import { describe, expect, it } from 'vitest';
import { lastSlotToday } from './missed-slot.js';

function matcher(expression: string, timeZone: string) {
  const task = cron.createTask(expression, () => undefined, { timezone: timeZone });
  return (minute: Date) => task.match(minute);
}

describe('lastSlotToday', () => {
  it.each([
    ['after the 07:00 slot: it was missed', '0 7 * * *', 'UTC', '2026-12-03T09:30:00Z', '2026-12-03T07:00:00.000Z'],
    ['before the 07:00 slot: nothing missed yet', '0 7 * * *', 'UTC', '2026-12-03T06:59:00Z', null],
    ['in another time zone: 07:00 Berlin is 06:00 UTC', '0 7 * * *', 'Europe/Berlin', '2026-12-03T06:30:00Z', '2026-12-03T06:00:00.000Z'],
    ['a slot on the previous local day does not count', '30 23 * * *', 'UTC', '2026-12-03T08:00:00Z', null],
    ['twice a day: the latest one', '0 6,12 * * *', 'UTC', '2026-12-03T13:00:00Z', '2026-12-03T12:00:00.000Z'],
  ])('%s', (_name, expression, timeZone, now, expected) => {
    expect(lastSlotToday(new Date(now), timeZone, matcher(expression, timeZone))?.toISOString() ?? null).toBe(expected);
  });
});
