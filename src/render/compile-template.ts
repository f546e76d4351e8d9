import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { describeError } from '../errors.js';
import { siblingModule, startWorkerThread } from '../worker-thread.js';
import { RenderError } from './errors.js';
import type { MjmlJob, MjmlOutcome } from './mjml-worker.js';

/**
 * A compiled template cut at its `%%NAME%%` placeholders: `parts[0] + value(slots[0]) + parts[1] + …`.
 * Filling it is string concatenation, no parsing and no regular expressions per email.
 */
export interface SlotTemplate {
  readonly parts: readonly string[];
  readonly slots: readonly string[];
}

const PLACEHOLDER = /%%([A-Z][A-Z0-9_]*)%%/;

/**
 * Reads an MJML template and compiles it to HTML once, validating strictly: an unknown tag or
 * attribute fails here, at start-up, before any mail goes out. The output is minified (whitespace
 * collapsed) but CSS is left as written, since minifying it needs cssnano and saves a few bytes.
 * MJML runs in a short-lived worker thread (`mjml-worker.ts`), so its modules never stay in memory.
 */
export async function compileMjmlFile(templatePath: string): Promise<string> {
  let source: string;
  try {
    source = await readFile(templatePath, 'utf8');
  } catch (thrown) {
    throw new RenderError(`cannot read template ${templatePath}: ${describeError(thrown)}`, { cause: thrown });
  }
  const worker = startWorkerThread(siblingModule(import.meta.url, 'mjml-worker'), { source, templatePath } satisfies MjmlJob);
  let outcome: MjmlOutcome;
  try {
    const first = await Promise.race([once(worker, 'message'), once(worker, 'exit').then(([code]) => [{ ok: false, message: `the MJML worker exited (code ${code})`, details: [] }])]);
    outcome = first[0] as MjmlOutcome;
  } catch (thrown) {
    // 'error': the worker itself crashed (say, mjml failed to load).
    outcome = { ok: false, message: describeError(thrown), details: [] };
  } finally {
    void worker.terminate();
  }
  if (!outcome.ok) {
    const details = outcome.details.length > 0 ? outcome.details.join('; ') : outcome.message;
    throw new RenderError(`template ${templatePath} is invalid: ${details}`);
  }
  // htmlnano leaves the line breaks and indentation inside <style> and conditional comments;
  // whitespace there is insignificant, and a single space keeps every token apart.
  return outcome.html.replace(/\s*\n\s*/g, ' ');
}

/**
 * Cuts HTML at its placeholders. Every placeholder must be one of `names`, and each of `names`
 * must appear at least once, so a typo in the template fails at start-up rather than mailing `%%TYPO%%`.
 */
export function toSlotTemplate(html: string, names: readonly string[], where: string): SlotTemplate {
  const pieces = html.split(new RegExp(PLACEHOLDER.source, 'g'));
  const parts: string[] = [];
  const slots: string[] = [];
  for (let i = 0; i < pieces.length; i++) {
    if (i % 2 === 0) parts.push(pieces[i]!);
    else slots.push(pieces[i]!);
  }
  const unknown = slots.filter((slot) => !names.includes(slot));
  if (unknown.length > 0) throw new RenderError(`${where} has unknown placeholders: ${unknown.map((slot) => `%%${slot}%%`).join(', ')}`);
  const missing = names.filter((name) => !slots.includes(name));
  if (missing.length > 0) throw new RenderError(`${where} lacks placeholders: ${missing.map((name) => `%%${name}%%`).join(', ')}`);
  return { parts, slots };
}

/** Concatenates a template with its values. */
export function fillSlots(template: SlotTemplate, values: Readonly<Record<string, string>>): string {
  const { parts, slots } = template;
  let out = parts[0]!;
  for (let i = 0; i < slots.length; i++) out += values[slots[i]!]! + parts[i + 1]!;
  return out;
}

/** Fills the named slots for good and keeps the others open: used for values fixed per renderer or per paper. */
export function prefillSlots(template: SlotTemplate, values: Readonly<Record<string, string>>): SlotTemplate {
  const parts: string[] = [template.parts[0]!];
  const slots: string[] = [];
  template.slots.forEach((slot, i) => {
    const value = values[slot];
    if (value === undefined) {
      slots.push(slot);
      parts.push(template.parts[i + 1]!);
    } else {
      parts[parts.length - 1] += value + template.parts[i + 1]!;
    }
  });
  return { parts, slots };
}
