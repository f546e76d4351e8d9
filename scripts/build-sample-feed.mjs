#!/usr/bin/env node
// Builds data/sample/trending-papers.xml, the demo's bundled feed, from the real trending-papers page
// in ../shared/seed/ (two banner lines, then a title line and an abstract line per paper).
// The seed has no ids or authors, so each item links to an arXiv title search for that paper.
// Run: node scripts/build-sample-feed.mjs [seed.txt] [out.xml]
import { readFileSync, writeFileSync } from 'node:fs';

const seedPath = process.argv[2] ?? '../shared/seed/000_0ca694b34de452b2.txt';
const outPath = process.argv[3] ?? 'data/sample/trending-papers.xml';
const lines = readFileSync(seedPath, 'utf8').split('\n').map((line) => line.trim()).filter(Boolean).slice(2);

const xml = (text) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const slug = (text) => text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 80);

const items = [];
for (let i = 0; i + 1 < lines.length; i += 2) {
  const title = lines[i].replace(/^Subscribe(?=[A-Z])/, ''); // the page's button text is glued to the first title
  const abstract = lines[i + 1];
  const link = `https://arxiv.org/search/?query=${encodeURIComponent(title)}&searchtype=title`;
  items.push(`    <item>
      <title>${xml(title)}</title>
      <link>${xml(link)}</link>
      <guid isPermaLink="false">urn:papermail:sample:${slug(title)}</guid>
      <description>${xml(abstract)}</description>
    </item>`);
}

writeFileSync(
  outPath,
  `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
  <channel>
    <title>papermail sample: trending papers</title>
    <link>https://huggingface.co/papers</link>
    <description>A real page of trending papers (titles and abstracts), bundled so the demo works offline. Items are in trending order.</description>
${items.join('\n')}
  </channel>
</rss>
`,
);
console.log(`wrote ${items.length} papers to ${outPath}`);
