#!/usr/bin/env node
// The CLI runs the compiled build (dist/), which `npm ci` / `npm install` produce via `prepare`.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(fileURLToPath(cli))) {
  process.stderr.write('papermail: dist/ is missing; run `npm run build` (npm ci does it for you).\n');
  process.exit(1);
}
const { main } = await import(cli.href);
process.exitCode = await main(process.argv.slice(2));
