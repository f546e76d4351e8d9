import { ConfigError } from './config.js';
import { describeError, PapermailError } from './errors.js';
import type { CommandContext } from './commands/context.js';
import { demoCommand } from './commands/demo.js';
import { feedsCommand, statusCommand, topicsCommand } from './commands/info.js';
import { previewCommand } from './commands/preview.js';
import { ingestCommand, runCommand } from './commands/run.js';
import { serveCommand } from './commands/serve.js';
import { subscribersCommand } from './commands/subscribers.js';
import { UsageError } from './commands/usage-error.js';

const HELP = `papermail: trending research papers in your inbox, once a day

usage: papermail <command> [options]

  run [--date YYYY-MM-DD] [--dry-run] [--no-ingest]
                      one full digest run now: ingest feeds, rank, render, send
  ingest              fetch the feeds only
  preview <email> [--date YYYY-MM-DD] [--json] [--out file.html]
                      what that subscriber would get now (sends and records nothing)
  subscribers add <email> [--topics a,b] [--keywords "k1, k2"] [--exclude "x"] [--size N] [--confirmed]
  subscribers import FILE.csv [--confirmed] [--skip-invalid]
                      CSV header: email,topics,keywords,size (lists separated by ";")
  subscribers list | subscribers remove <email>
  topics              the topics subscribers can choose
  feeds               every feed with its last success and error
  status              recent runs and deliveries that need a look
  serve               the service: digest on DIGEST_CRON in TZ
  demo                a fresh demo under data/demo/ with the bundled sample feed

Settings come from the environment or a .env file (see .env.example).`;

type Command = (args: string[], context: CommandContext) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  run: runCommand,
  ingest: ingestCommand,
  preview: previewCommand,
  subscribers: subscribersCommand,
  topics: topicsCommand,
  feeds: feedsCommand,
  status: statusCommand,
  serve: serveCommand,
  demo: demoCommand,
};

/** Runs one command; returns the exit code: 0 done, 1 failed, 2 bad usage or configuration. */
export async function main(argv: string[], context?: Partial<CommandContext>): Promise<number> {
  const out = context?.out ?? ((line = '') => void process.stdout.write(`${line}\n`));
  const err = context?.err ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const [name, ...args] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    out(HELP);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    err(`papermail: unknown command "${name}"\n\n${HELP}`);
    return 2;
  }
  try {
    return await command(args, { env: context?.env ?? process.env, out, err, overrides: context?.overrides });
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      err(`papermail ${name}: ${(error as Error).message}`);
      return 2;
    }
    if (error instanceof ConfigError) {
      err(`papermail: ${error.message}\nFix the settings above (environment or .env; see .env.example).`);
      return 2;
    }
    if ((error as { code?: string }).code === 'SQLITE_BUSY') {
      err(`papermail ${name}: the database is locked by another process (a run or the service writing); try again in a moment`);
      return 1;
    }
    err(`papermail ${name}: ${error instanceof PapermailError ? error.message : describeError(error)}`);
    if (!(error instanceof PapermailError) && process.env.LOG_LEVEL === 'debug') err((error as Error).stack ?? '');
    return 1;
  }
}
