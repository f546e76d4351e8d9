/**
 * Compiles one MJML template in a worker thread (see `compileMjmlFile`): MJML and its dependencies
 * weigh ~50 MiB once loaded, and a daily run needs them for a few hundred milliseconds. When this
 * thread ends, they are gone from the process.
 */
import { parentPort, workerData } from 'node:worker_threads';
import mjml2html from 'mjml';

export interface MjmlJob {
  source: string;
  templatePath: string;
}

export type MjmlOutcome = { ok: true; html: string } | { ok: false; message: string; details: string[] };

const port = parentPort;
if (!port) throw new Error('mjml-worker.ts runs as a worker thread (see compile-template.ts)');
const { source, templatePath } = workerData as MjmlJob;

mjml2html(source, {
  validationLevel: 'strict',
  filePath: templatePath,
  // mjml 5 ignores <mj-include> unless told otherwise; includes resolve next to the template.
  ignoreIncludes: false,
  // No web fonts: the font stack in the template is system fonts, and MJML would otherwise
  // add a Google Fonts <link> for any of its default fonts (e.g. Roboto) the stack names.
  fonts: {},
  keepComments: false,
  minify: true,
  minifyOptions: { minifyCss: false },
}).then(
  ({ html }) => port.postMessage({ ok: true, html } satisfies MjmlOutcome),
  (thrown: unknown) => {
    const errors = (thrown as { errors?: Array<{ formattedMessage?: string }> }).errors;
    const details = Array.isArray(errors) ? errors.map((error) => error.formattedMessage ?? '').filter(Boolean) : [];
    port.postMessage({ ok: false, message: thrown instanceof Error ? thrown.message : String(thrown), details } satisfies MjmlOutcome);
  },
);
