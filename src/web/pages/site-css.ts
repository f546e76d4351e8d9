/**
 * The site's only stylesheet, served from `/static/site.css` (the CSP allows styles from 'self' only:
 * no inline styles, no inline scripts). Kept in a module rather than a .css file so `tsc` ships it
 * to `dist/` with the code.
 *
 * Colours meet WCAG AA on their backgrounds: text #1f2937 and muted #4b5563 on white (14:1, 7.6:1),
 * links and buttons #1d4ed8 (6.7:1 with white), errors #b91c1c (6.5:1). Focus is always visible.
 */
export const SITE_CSS = `
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body {
  margin: 0;
  font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
  font-size: 1.0625rem;
  line-height: 1.55;
  color: #1f2937;
  background: #f3f4f6;
}
a { color: #1d4ed8; text-underline-offset: 0.15em; }
a:hover { color: #1e3a8a; }
:focus-visible { outline: 3px solid #1d4ed8; outline-offset: 2px; }
input:focus-visible, textarea:focus-visible { outline-offset: 0; }

.skip-link { position: absolute; left: 0.5rem; top: -3rem; padding: 0.5rem 1rem; background: #ffffff; border-radius: 0.375rem; z-index: 10; }
.skip-link:focus { top: 0.5rem; }

.site-header, .site-footer, main { max-width: 44rem; margin: 0 auto; padding: 0 1rem; }
.site-header { padding-top: 1rem; padding-bottom: 0.5rem; }
.brand { display: inline-flex; align-items: center; gap: 0.5rem; font-weight: 700; font-size: 1.125rem; color: #111827; text-decoration: none; letter-spacing: -0.01em; }
.brand img { display: block; }
.site-footer { padding-top: 1.5rem; padding-bottom: 2rem; font-size: 0.875rem; color: #4b5563; }
.site-footer a { color: #4b5563; }

.card { background: #ffffff; border-radius: 0.75rem; padding: 1.25rem; margin: 0.75rem 0 1rem; box-shadow: 0 1px 2px rgba(17, 24, 39, 0.08); }
@media (min-width: 40rem) { .card { padding: 2rem; } }
.card > :last-child { margin-bottom: 0; }

h1 { font-size: 1.625rem; line-height: 1.25; margin: 0 0 0.75rem; color: #111827; letter-spacing: -0.01em; }
h2 { font-size: 1.25rem; line-height: 1.3; margin: 0 0 0.75rem; color: #111827; }
p { margin: 0 0 1rem; }
.lead { font-size: 1.125rem; color: #374151; }
.muted, .hint { color: #4b5563; }
.hint { display: block; font-size: 0.9375rem; margin: 0.125rem 0 0.375rem; }
.small { font-size: 0.9375rem; }

.field { margin: 0 0 1.5rem; }
label, legend { font-weight: 600; color: #111827; }
.field > label { display: block; }
input[type="email"], input[type="text"], input[type="number"] {
  display: block; width: 100%; font: inherit; color: inherit;
  padding: 0.625rem 0.75rem; min-height: 2.75rem;
  border: 2px solid #6b7280; border-radius: 0.375rem; background: #ffffff;
}
input[type="number"] { max-width: 8rem; }
input[aria-invalid="true"] { border-color: #b91c1c; }

fieldset { border: 0; margin: 0 0 1.5rem; padding: 0; min-width: 0; }
legend { padding: 0; font-size: 1.0625rem; }
fieldset.invalid .choices { border-left: 4px solid #b91c1c; padding-left: 0.75rem; }
.choices { display: grid; gap: 0.5rem; margin-top: 0.5rem; }
@media (min-width: 40rem) { .choices.topics { grid-template-columns: 1fr 1fr; } }
.choice { display: flex; gap: 0.625rem; align-items: flex-start; padding: 0.5rem 0.625rem; border: 1px solid #d1d5db; border-radius: 0.5rem; font-weight: 400; cursor: pointer; }
.choice:hover { border-color: #6b7280; }
.choice input { flex: none; width: 1.25rem; height: 1.25rem; margin: 0.15rem 0 0; accent-color: #1d4ed8; }
.choice-label { display: block; font-weight: 600; color: #111827; line-height: 1.35; }
.choice-hint { display: block; font-size: 0.875rem; color: #4b5563; line-height: 1.4; margin-top: 0.125rem; }

.error-message { display: block; color: #b91c1c; font-weight: 600; margin: 0.125rem 0 0.375rem; }
.error-summary { border: 3px solid #b91c1c; border-radius: 0.5rem; padding: 1rem 1.25rem; margin: 0 0 1.5rem; }
.error-summary h2 { font-size: 1.125rem; margin-bottom: 0.5rem; }
.error-summary ul { margin: 0; padding-left: 1.25rem; }
.error-summary a { color: #b91c1c; font-weight: 600; }
.notice { border-left: 4px solid #047857; background: #ecfdf5; padding: 0.75rem 1rem; border-radius: 0.375rem; margin: 0 0 1.5rem; color: #064e3b; }

.button {
  display: inline-block; font: inherit; font-weight: 600; line-height: 1.25;
  min-height: 2.75rem; padding: 0.75rem 1.5rem; border-radius: 0.5rem;
  border: 2px solid #1d4ed8; background: #1d4ed8; color: #ffffff; cursor: pointer; text-decoration: none;
}
.button:hover { background: #1e40af; border-color: #1e40af; color: #ffffff; }
.button:focus-visible { outline: 3px solid #111827; outline-offset: 2px; }
.button.secondary { background: #ffffff; color: #1d4ed8; }
.button.secondary:hover { background: #eff6ff; color: #1e3a8a; }
.actions { display: flex; flex-wrap: wrap; gap: 0.75rem; align-items: center; margin: 0.5rem 0 0; }
form { margin: 0 0 1.5rem; }
form:last-child { margin-bottom: 0; }
p.actions { margin: 1.25rem 0 0; }
@media (max-width: 30rem) { .actions .button { width: 100%; text-align: center; } }

.papers { list-style: none; margin: 0; padding: 0; }
.papers li { padding: 0.875rem 0; border-top: 1px solid #e5e7eb; }
.papers li:first-child { border-top: 0; padding-top: 0; }
.paper-title { font-weight: 600; color: #111827; line-height: 1.35; }
.paper-title a { color: #111827; text-decoration-thickness: 1px; }
.paper-title a:hover { color: #1d4ed8; }
.paper-meta { display: block; font-size: 0.875rem; color: #4b5563; margin-top: 0.125rem; }
.paper-why { display: block; font-size: 0.875rem; color: #047857; margin-top: 0.125rem; }
.paper-summary { border-left: 4px solid #d1d5db; padding: 0.25rem 0 0.25rem 0.875rem; }
.feedback-list li { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: center; justify-content: space-between; }
.feedback-item { flex: 1 1 16rem; min-width: 0; }
.feedback-list form { margin: 0; }
.button.compact { padding: 0.5rem 1rem; }
.visually-hidden { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
.address { font-weight: 600; overflow-wrap: anywhere; }
`;
