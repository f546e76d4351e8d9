import { parseArgs } from 'node:util';
import { describeError, PapermailError } from '../errors.js';
import { startSchedule } from '../schedule/start-schedule.js';
import { openApp, type CommandContext } from './context.js';
import { formatRun } from './format-summary.js';

/** `serve`: the long-running service: the web side on HOST:PORT, and the digest on DIGEST_CRON in TZ, until SIGTERM/SIGINT. */
export async function serveCommand(args: string[], context: CommandContext): Promise<number> {
  parseArgs({ args, options: {} });
  const app = openApp(context, 'info');
  const web = await app.webServer();
  try {
    await web.listen({ port: app.config.port, host: app.config.host });
  } catch (error) {
    await app.close();
    throw new PapermailError(`cannot listen on ${app.config.host}:${app.config.port}: ${describeError(error)} (set PORT or HOST)`);
  }
  const schedule = startSchedule({
    cron: app.config.schedule.cron,
    timeZone: app.config.schedule.timeZone,
    log: app.log,
    now: app.now,
    ranToday: () => app.store.completedRunFor(app.today()),
    run: async (signal) => {
      const summary = await app.runDigest({ signal });
      for (const line of formatRun(summary)) app.log.info(line);
    },
  });
  context.out(`web: ${app.config.publicUrl} (listening on ${app.config.host}:${app.config.port})`);
  context.out(`papermail is running: digest at "${app.config.schedule.cron}" (${app.config.schedule.timeZone}), mail to ${app.mailer.describe()}. Ctrl-C stops it.`);

  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  app.log.info({ signal }, 'stopping: waiting for the current run to finish');
  try {
    await web.close();
    await schedule.stop();
  } catch (error) {
    app.log.error({ error: describeError(error) }, 'stopping the schedule failed');
  }
  await app.close();
  return 0;
}
