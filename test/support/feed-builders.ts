/** Builders for the repo's own feed fixtures: real RSS 2.0 (arXiv-style) and Hugging Face daily-papers JSON. */

export interface FixturePaper {
  arxivId: string;
  version?: number;
  title: string;
  abstract: string;
  authors: string[];
  upvotes?: number;
  announceType?: 'new' | 'cross' | 'replace' | 'replace-cross';
  categories?: string[];
  githubRepo?: string;
}

const xml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** An rss.arxiv.org-style RSS 2.0 listing: announce types, versioned guids, the "Announce Type" prefix. */
export function arxivRss(papers: readonly FixturePaper[], category = 'cs.LG'): string {
  const items = papers.map((paper) => {
    const version = paper.version ?? 1;
    const type = paper.announceType ?? 'new';
    return `    <item>
      <title>${xml(paper.title)}</title>
      <link>https://arxiv.org/abs/${paper.arxivId}</link>
      <description>arXiv:${paper.arxivId}v${version} Announce Type: ${type} 
Abstract: ${xml(paper.abstract)}</description>
      <guid isPermaLink="false">oai:arXiv.org:${paper.arxivId}v${version}</guid>
      ${(paper.categories ?? [category]).map((c) => `<category>${c}</category>`).join('')}
      <pubDate>Tue, 01 Dec 2026 00:00:00 -0500</pubDate>
      <arxiv:announce_type>${type}</arxiv:announce_type>
      <dc:rights>http://creativecommons.org/licenses/by/4.0/</dc:rights>
      <dc:creator>${xml(paper.authors.join(', '))}</dc:creator>
    </item>`;
  });
  return `<?xml version='1.0' encoding='UTF-8'?>
<rss xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:dc="http://purl.org/dc/elements/1.1/" version="2.0">
  <channel>
    <title>${category} updates on arXiv.org</title>
    <link>http://rss.arxiv.org/rss/${category}</link>
    <description>${category} updates on the arXiv.org e-print archive.</description>
${items.join('\n')}
  </channel>
</rss>
`;
}

/** The Hugging Face `api/daily_papers` shape (newer fields included when given). */
export function hfDailyPapers(papers: readonly FixturePaper[]): string {
  return JSON.stringify(
    papers.map((paper) => ({
      paper: {
        id: paper.arxivId,
        authors: paper.authors.map((name) => ({ name, hidden: false })),
        publishedAt: '2026-12-01T17:59:30.000Z',
        title: paper.title,
        summary: paper.abstract,
        upvotes: paper.upvotes ?? 0,
        ...(paper.githubRepo ? { githubRepo: paper.githubRepo } : {}),
      },
      publishedAt: '2026-12-02T01:00:00.000Z',
      title: paper.title,
      numComments: 1,
    })),
  );
}
