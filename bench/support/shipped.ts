/**
 * papermail as shipped: the modules the benchmark runs are the compiled ones in `dist/` (what
 * `npx papermail run` executes; `npm run bench` builds them first), typed by their sources. Run
 * through tsx, the sources would carry its per-function name helpers (~20% more CPU when ranking).
 */
const shipped = <Module>(file: string): Promise<Module> => import(new URL(`../../dist/${file}`, import.meta.url).href) as Promise<Module>;

export const { createApp } = await shipped<typeof import('../../src/app.js')>('app.js');
export const { silentLogger } = await shipped<typeof import('../../src/log.js')>('log.js');
export const { loadConfig } = await shipped<typeof import('../../src/config.js')>('config.js');
export const { DAY_MS } = await shipped<typeof import('../../src/dates.js')>('dates.js');
export const { rankFor } = await shipped<typeof import('../../src/jobs/send-digests.js')>('jobs/send-digests.js');
export const { buildMime, parseSender } = await shipped<typeof import('../../src/mail/build-mime.js')>('mail/build-mime.js');
export const { composeDigestMessage } = await shipped<typeof import('../../src/mail/compose-digest-message.js')>('mail/compose-digest-message.js');
export const { domainOf } = await shipped<typeof import('../../src/mail/message-id.js')>('mail/message-id.js');
export const { buildRankIndex } = await shipped<typeof import('../../src/rank/rank-papers.js')>('rank/rank-papers.js');
export const { main } = await shipped<typeof import('../../src/cli.js')>('cli.js');
