import { describe, expect, it } from 'vitest';
import { decodeTexAccents, plainText, titleText } from './plain-text.js';

describe('titleText', () => {
  it.each([
    ['collapses line breaks', 'Breaking the Memory Barrier: Near Infinite Batch Size Scaling for\n  Contrastive Loss', 'Breaking the Memory Barrier: Near Infinite Batch Size Scaling for Contrastive Loss'],
    ['decodes entities', 'Q&amp;A for R&amp;D: &quot;fast&quot; &#8212; really', 'Q&A for R&D: "fast" — really'],
    ['strips formatting tags', 'Growth of <i>E. coli</i> in H<sub>2</sub>O', 'Growth of E. coli in H2O'],
    ['strips tags that arrive entity-escaped', 'Growth of &lt;i&gt;E. coli&lt;/i&gt;', 'Growth of E. coli'],
    ['keeps a literal <script> as text', 'Detecting <script> injection in LLM agents', 'Detecting <script> injection in LLM agents'],
    ['keeps an escaped <script> as text', 'Detecting &lt;script&gt;alert(1)&lt;/script&gt; payloads', 'Detecting <script>alert(1)</script> payloads'],
    ['keeps comparisons', 'When n < 5 and m > 3', 'When n < 5 and m > 3'],
    ['turns TeX accents into letters', 'Schr\\"odinger operators with P\\"oschl--Teller potential', 'Schrödinger operators with Pöschl--Teller potential'],
    ['keeps TeX math', 'Decoupling in $\\mathbb{R}^3$ and {\\Lambda}CDM', 'Decoupling in $\\mathbb{R}^3$ and {\\Lambda}CDM'],
  ])('%s', (_case, raw, text) => {
    expect(titleText(raw)).toBe(text);
  });
});

describe('plainText', () => {
  it.each([
    ['leaves plain text alone but collapses whitespace', 'Line one\nline two.\n\n  Next.', 'Line one line two. Next.'],
    ['converts HTML and drops images', '<p>First <b>bold</b> point.</p><p>Second.<img src="http://t.example/p.gif"/></p>', 'First bold point. Second.'],
    ['drops link targets', 'See <a href="https://example.org">the code</a>.', 'See the code.'],
    ['decodes entity-escaped HTML', '&lt;p&gt;Hello &amp;amp; welcome&lt;/p&gt;', 'Hello & welcome'],
    ['does not mistake a comparison for a tag', 'for all a<b and c>d the bound holds', 'for all a<b and c>d the bound holds'],
  ])('%s', (_case, raw, text) => {
    expect(plainText(raw)).toBe(text);
  });
});

describe('decodeTexAccents', () => {
  it.each([
    ["Fern\\'andez", 'Fernández'],
    ["{\\'E}mile", 'Émile'],
    ["Benjamin R\\'{e}my", 'Benjamin Rémy'],
    ['M\\"uller', 'Müller'],
    ['Pe\\~na', 'Peña'],
    ['Fran\\c{c}ois', 'François'],
    ['Fran\\c cois', 'François'],
    ['Vavry\\v{c}uk', 'Vavryčuk'],
    ['Przemys{\\l}aw', 'Przemysław'],
    ['Sofie Castro Holb{\\ae}k', 'Sofie Castro Holbæk'],
    ["Mart\\'{\\i}n", 'Martín'],
    ['Ka{\\u{g}}an', 'Kağan'],
    ['plain text', 'plain text'],
  ])('reads %s as %s', (tex, text) => {
    expect(decodeTexAccents(tex)).toBe(text);
  });
});
