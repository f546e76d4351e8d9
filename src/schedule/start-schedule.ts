import cron from 'node-cron';
import { describeError } from '../errors.js';
import type { Logger } from '../log.js';
import { lastSlotToday } from './missed-slot.js';

export interface Schedule {
  stop(): Promise<void>;
}

export interface ScheduleOptions {
  cron: string;
  timeZone: string;
  /** The job; a run still going when the next tick comes is not started twice. Aborted on stop. */
  run: (signal: AbortSignal) => Promise<unknown>;
  /** True when today's digest already ran; otherwise a slot missed earlier today is caught up at start. */
  ranToday: () => boolean;
  log: Logger;
  now?: () => Date;
}

/** Runs the daily job on its cron expression in its time zone, never two at once in this process. */
export function startSchedule(options: ScheduleOptions): Schedule {
  const log = options.log.child({ stage: 'schedule' });
  const now = options.now ?? (() => new Date());
  const shutdown = new AbortController();
  let running: Promise<unknown> | null = null;
  const trigger = async (reason: string) => {
    if (running) {
      log.warn({ reason }, 'previous run still going: skipping this one');
      return;
    }
    log.info({ reason }, 'digest run starting');
    running = options.run(shutdown.signal).catch((error: unknown) => log.error({ error: describeError(error) }, 'digest run failed'));
    try {
      await running;
    } finally {
      running = null;
    }
  };
  const task = cron.schedule(options.cron, () => trigger('schedule'), { timezone: options.timeZone, name: 'papermail-digest', noOverlap: true });
  log.info({ cron: options.cron, timeZone: options.timeZone, nextRun: task.getNextRun()?.toISOString() ?? null }, 'digest scheduled');

  // Down at the scheduled time? Catch up once, for today only: the ledger keeps it from sending twice.
  const missed = lastSlotToday(now(), options.timeZone, (minute) => task.match(minute));
  if (missed && !options.ranToday()) void trigger(`catch-up for the ${missed.toISOString()} slot missed while papermail was down`);

  return {
    async stop() {
      await task.stop();
      shutdown.abort();
      await running;
    },
  };
}
