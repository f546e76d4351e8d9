import { readFile } from 'node:fs/promises';
import mjml2html from 'mjml';
import { describeError } from '../errors.js';
import { RenderError } from './errors.js';

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
 */
export async function compileMjmlFile(templatePath: string): Promise<string> {
  let source: string;
  try {
    source = await readFile(templatePath, 'utf8');
  } catch (thrown) {
    throw new RenderError(`cannot read template ${templatePath}: ${describeError(thrown)}`, { cause: thrown });
  }
  try {
    const { html } = await mjml2html(source, {
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
    });
    // htmlnano leaves the line breaks and indentation inside <style> and conditional comments;
    // whitespace there is insignificant, and a single space keeps every token apart.
    return html.replace(/\s*\n\s*/g, ' ');
  } catch (thrown) {
    const errors = (thrown as { errors?: Array<{ formattedMessage?: string }> }).errors;
    const details = Array.isArray(errors) && errors.length > 0 ? errors.map((error) => error.formattedMessage).join('; ') : describeError(thrown);
    throw new RenderError(`template ${templatePath} is invalid: ${details}`, { cause: thrown });
  }
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
