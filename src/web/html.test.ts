import { describe, expect, it } from 'vitest';
import { html, unsafeRaw } from './html.js';

describe('html', () => {
  it('escapes every interpolated string, in text and in attributes', () => {
    const value = `"><script>alert('x')</script>&`;
    expect(html`<p title="${value}">${value}</p>`.value).toBe(
      '<p title="&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;">&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;</p>',
    );
  });

  it('keeps nested html and trusted markup as they are, and joins arrays', () => {
    const items = ['a<b', 'c'].map((item) => html`<li>${item}</li>`);
    expect(html`<ul>${items}</ul>${unsafeRaw('<hr>')}`.value).toBe('<ul><li>a&lt;b</li><li>c</li></ul><hr>');
  });

  it('writes nothing for null, undefined and false, and numbers as text', () => {
    expect(html`${null}${undefined}${false}${0}${true}`.value).toBe('0true');
  });
});
