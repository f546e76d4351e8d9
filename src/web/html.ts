import { escapeHtml } from '../render/safe-html.js';

/** HTML that is already safe to write: built by `html` or `unsafeRaw`, never from a bare string. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

/**
 * A tagged template that escapes every interpolated value unless it is `SafeHtml`: the only way
 * pages are written, so a value cannot reach a page unescaped by forgetting to escape it.
 * `null`, `undefined` and `false` write nothing; arrays are concatenated.
 */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += write(values[i]) + strings[i + 1]!;
  return new SafeHtml(out);
}

function write(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.value;
  if (value === null || value === undefined || value === false) return '';
  if (Array.isArray(value)) return value.map(write).join('');
  return escapeHtml(String(value));
}

/** Trusted markup (constants written in this codebase only). */
export function unsafeRaw(markup: string): SafeHtml {
  return new SafeHtml(markup);
}
