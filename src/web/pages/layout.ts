import { html, type SafeHtml } from '../html.js';
import { SITE_CSS_VERSION } from '../static.js';

/** What every page needs to know about the site it is part of. */
export interface Site {
  /** Path prefix of PUBLIC_URL (`''` at a domain's root, `/papermail` behind a proxy's sub-path). */
  basePath: string;
  productName: string;
}

export interface PageContent {
  /** The document title and the page's one `h1`. */
  title: string;
  /** Marks the title as an error ("Error: …"), for screen readers, when a form came back with problems. */
  hasErrors?: boolean;
  /** Everything under the `h1`, in the first card. */
  body: SafeHtml;
  /** Further cards, each a `<section>` that starts with its own `h2`. */
  sections?: readonly SafeHtml[];
}

/** A whole HTML document: one `h1`, `lang`, a skip link, the stylesheet and nothing inline. */
export function renderPage(site: Site, page: PageContent): string {
  const documentTitle = `${page.hasErrors ? 'Error: ' : ''}${page.title} · ${site.productName}`;
  return `<!doctype html>\n${html`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${documentTitle}</title>
<link rel="stylesheet" href="${site.basePath}/static/site.css?v=${SITE_CSS_VERSION}">
<link rel="icon" href="${site.basePath}/static/icon.svg" type="image/svg+xml">
</head>
<body>
<a class="skip-link" href="#main">Skip to content</a>
<header class="site-header"><a class="brand" href="${site.basePath}/"><img src="${site.basePath}/static/icon.svg" alt="" width="24" height="24">${site.productName}</a></header>
<main id="main">
<div class="card">
<h1>${page.title}</h1>
${page.body}
</div>
${(page.sections ?? []).map((section) => html`<section class="card">
${section}
</section>
`)}</main>
<footer class="site-footer"><p>${site.productName} sends trending research papers by email, once a day. No account, no password: every email has a link to change your topics or leave.</p></footer>
</body>
</html>
`.value}`;
}
