import cron from 'node-cron';
import { describeError } from '../errors.js';
import type { Logger } from '../log.js';

export interface Schedule {
  stop(): Promise<void>;
}

export interface ScheduleOptions {
  cron: string;
  timeZone: string;
  /** The job; a run still going when the next tick comes is not started twice. */
  run: () => Promise<unknown>;
  log: Logger;
}

/** Runs the daily job on its cron expression in its time zone, never two at once in this process. */
export function startSchedule(options: ScheduleOptions): Schedule {
  const log = options.log.child({ stage: 'schedule' });
  let running: Promise<unknown> | null = null;
  const task = cron.schedule(
    options.cron,
    async () => {
      if (running) {
        log.warn('previous run still going: skipping this tick');
        return;
      }
      running = options.run().catch((error: unknown) => log.error({ error: describeError(error) }, 'scheduled run failed'));
      try {
        await running;
      } finally {
        running = null;
      }
    },
    { timezone: options.timeZone, name: 'papermail-digest', noOverlap: true },
  );
  log.info({ cron: options.cron, timeZone: options.timeZone, nextRun: task.getNextRun()?.toISOString() ?? null }, 'digest scheduled');
  return {
    async stop() {
      await task.stop();
      await running;
    },
  };
}
