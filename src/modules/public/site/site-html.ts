/**
 * The public site's HTML pages, rendered on the server and complete without JavaScript (crawlers,
 * `curl`, screen readers): a page frame with a skip link, one `h1`, landmarks and a stylesheet
 * (the CSP allows no inline style or script). Every value is escaped; the only HTML inserted as
 * it is comes from the advisory renderer, escaped and then sanitised there. Pure.
 */
import type { IndexEntry, SiteUrls } from './public-advisory.js';
import { html, type Markup } from './markup.js';

/** The stylesheet's path (served by the site's routes). */
export const STYLESHEET_PATH = '/site.css';

interface Frame {
  title: string;
  /** Feeds announced to readers (`<link rel="alternate">`). */
  feeds?: { title: string; href: string }[];
  /** Breadcrumbs above the heading: the project page, say. */
  trail?: { label: string; href: string }[];
  urls: SiteUrls;
  body: Markup;
  /** Who reads the page: the header offers sign-in, or one's work. Anonymous unless said. */
  viewer?: Viewer;
}

/**
 * Whether the reader is signed in. Only the front page asks (it is then sent `private`); every
 * other page is the same for everyone and cached publicly.
 */
export type Viewer = 'signed-in' | 'anonymous';

/** The header's links for the reader: sign-in, or their work and their inbox. */
function accountLinks(viewer: Viewer): Markup {
  return viewer === 'signed-in'
    ? html`<li><a href="/dashboard">Your work</a></li>
        <li><a href="/cases">Inbox</a></li>`
    : html`<li><a href="/sign-in">Sign in</a></li>`;
}

/** A whole document around `body`. */
function page(f: Frame): string {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${f.title}</title>
        <link rel="stylesheet" href="${STYLESHEET_PATH}" />
        <link rel="icon" type="image/svg+xml" href="/favicon.svg" />
        ${(f.feeds ?? []).map((feed) => html`<link rel="alternate" type="application/atom+xml" title="${feed.title}" href="${feed.href}" /> `)}
      </head>
      <body>
        <a class="skip-link" href="#main">Skip to the content</a>
        <header class="site-header">
          <a class="brand" href="/">Vigil</a>
          <nav aria-label="Site">
            <ul>
              <li><a href="/">Projects</a></li>
              <li><a href="${f.urls.feed}">Advisories feed</a></li>
              ${accountLinks(f.viewer ?? 'anonymous')}
            </ul>
          </nav>
        </header>
        ${
          f.trail?.length
            ? html`<nav class="trail" aria-label="Breadcrumb">
                <ol>
                  ${f.trail.map((t) => html`<li><a href="${t.href}">${t.label}</a></li>`)}
                </ol>
              </nav> `
            : ''
        }
        <main id="main">${f.body}</main>
        <footer class="site-footer">
          <p>
            Machine-readable: <a href="${f.urls.index}">JSON index</a> ·
            <a href="${f.urls.feed}">Atom feed</a> · <a href="${f.urls.osvAll}">OSV all.zip</a> · OSV API
            <code>POST ${f.urls.osvQuery}</code>
          </p>
        </footer>
      </body>
    </html> `.value;
}

/** A project on the front page. */
export interface ProjectCard {
  name: string;
  slug: string;
  published: number;
  /** Its newest advisory, if any. */
  latest: IndexEntry | null;
  distributorsList: boolean;
}

/** Where the front page is in the list of projects. */
export interface FrontPagePosition {
  viewer: Viewer;
  /** This page's number, from 1. */
  page: number;
  pages: number;
  /** Every project of the instance. */
  total: number;
  /** The position of this page's first project, from 1 (0 when there are none). */
  first: number;
}

function severityText(entry: IndexEntry): string {
  const s = entry.severity;
  if (!s) return 'Severity not rated';
  return `${s.severity.charAt(0).toUpperCase()}${s.severity.slice(1)} (CVSS ${s.version} ${s.score.toFixed(1)})`;
}

const day = (iso: string) => iso.slice(0, 10);

function projectLinks(
  urls: SiteUrls,
  slug: string,
  { distributorsList }: { distributorsList: boolean },
): Markup {
  const f = urls.projectFiles(slug);
  return html`<ul class="links">
    <li><a href="${f.report}">Report a vulnerability</a></li>
    <li><a href="${f.advisories}">Published advisories</a></li>
    <li><a href="${f.securityMd}">SECURITY.md</a></li>
    <li><a href="${f.securityTxt}">security.txt</a></li>
    <li><a href="${f.pgpKey}">OpenPGP key</a></li>
    ${distributorsList ? html`<li><a href="${f.distributorsApply}">Apply to the distributors list</a></li> ` : ''}
  </ul>`;
}

/** The front page's page links: previous and next, and where this page is. */
function pageLinks(at: FrontPagePosition, shown: number): Markup {
  if (at.pages <= 1) return html``;
  const href = (n: number) => (n === 1 ? '/' : `/?page=${n}`);
  return html`<nav class="pages" aria-label="Pages of projects">
    <p>Projects ${at.first}–${at.first + shown - 1} of ${at.total} (page ${at.page} of ${at.pages}).</p>
    <ul class="links">
      ${at.page > 1 ? html`<li><a href="${href(at.page - 1)}" rel="prev">Previous page</a></li> ` : ''}
      ${at.page < at.pages ? html`<li><a href="${href(at.page + 1)}" rel="next">Next page</a></li> ` : ''}
    </ul>
  </nav>`;
}

/**
 * `/`: the instance's projects (a page of them), each with its report form, security files, key
 * (every project has one: `pgp-key.asc` makes it when first asked) and advisories; a sign-in link, or for a signed-in reader their work.
 */
export function frontPage(urls: SiteUrls, projects: readonly ProjectCard[], at: FrontPagePosition): string {
  const cards = projects.map(
    (p) =>
      html`<li class="card">
        <h3><a href="${urls.project(p.slug)}">${p.name}</a></h3>
        <p>
          ${p.published === 1 ? '1 published advisory' : `${p.published} published advisories`}${p.latest ? html`; the newest: <a href="${p.latest.urls.html}">${p.latest.title}</a> (${day(p.latest.published)})` : ''}.
        </p>
        ${projectLinks(urls, p.slug, p)}
      </li> `,
  );
  return page({
    title:
      at.page > 1
        ? `Security reporting and advisories (page ${at.page})`
        : 'Security reporting and advisories',
    feeds: [{ title: 'All advisories', href: urls.feed }],
    urls,
    viewer: at.viewer,
    body: html`<h1>Security reporting and advisories</h1>
      <p>
        Report a vulnerability privately to a project's security team, or read the advisories they have
        published.
      </p>
      <section aria-labelledby="projects-heading">
        <h2 id="projects-heading">Projects</h2>
        ${
          projects.length
            ? html`<ul class="cards">
                  ${cards}
                </ul>
                ${pageLinks(at, projects.length)}`
            : html`<p>No projects yet.</p>`
        }
      </section>
      <section aria-labelledby="team-heading">
        <h2 id="team-heading">Security teams</h2>
        ${
          at.viewer === 'signed-in'
            ? html`<p>
                You are signed in: <a href="/dashboard">your work</a> and your <a href="/cases">inbox</a>.
              </p>`
            : html`<p>
                Members of a project's security team <a href="/sign-in">sign in</a> to handle reports.
              </p>`
        }
      </section>`,
  });
}

function advisoryTable(entries: readonly IndexEntry[]): Markup {
  if (entries.length === 0) return html`<p>No advisories published yet.</p>`;
  return html`<table>
    <caption>
      Published advisories, newest first
    </caption>
    <thead>
      <tr>
        <th scope="col">Advisory</th>
        <th scope="col">Title</th>
        <th scope="col">Severity</th>
        <th scope="col">Published</th>
      </tr>
    </thead>
    <tbody>
      ${entries.map(
        (e) =>
          html`<tr>
            <td><a href="${e.urls.html}">${e.cveId ?? e.id}</a></td>
            <td>${e.title}</td>
            <td>${severityText(e)}</td>
            <td><time datetime="${e.published}">${day(e.published)}</time></td>
          </tr> `,
      )}
    </tbody>
  </table>`;
}

/** `/p/{slug}` and `/p/{slug}/advisories`: a project's public page and its published advisories. */
export function projectPage(
  urls: SiteUrls,
  project: { name: string; slug: string; distributorsList: boolean },
  entries: readonly IndexEntry[],
  focus: 'project' | 'advisories',
): string {
  const f = urls.projectFiles(project.slug);
  const heading = focus === 'project' ? project.name : `Security advisories of ${project.name}`;
  return page({
    title: heading,
    feeds: [{ title: `${project.name} advisories`, href: f.feed }],
    trail: focus === 'advisories' ? [{ label: project.name, href: f.page }] : [],
    urls,
    body: html`<h1>${heading}</h1>
      ${
        focus === 'project'
          ? html`<section aria-labelledby="report-heading">
              <h2 id="report-heading">Reporting a vulnerability</h2>
              <p>Report privately through the form; the policy says how the team handles reports.</p>
              ${projectLinks(urls, project.slug, project)}
            </section> `
          : ''
      }
      <section aria-labelledby="advisories-heading">
        <h2 id="advisories-heading">Published advisories</h2>
        ${advisoryTable(entries)}
        <p>Follow them: <a href="${f.feed}">Atom feed</a> · <a href="${f.index}">JSON index</a></p>
      </section>`,
  });
}

/** `/p/{slug}/advisories/{id}`: the project's page template, rendered and sanitised, in the frame. */
export function advisoryPage(
  urls: SiteUrls,
  project: { name: string; slug: string },
  entry: IndexEntry,
  rendered: Markup,
): string {
  const f = urls.projectFiles(project.slug);
  return page({
    title: `${entry.cveId ?? entry.id}: ${entry.title}`,
    feeds: [{ title: `${project.name} advisories`, href: f.feed }],
    trail: [
      { label: project.name, href: f.page },
      { label: 'Advisories', href: f.advisories },
    ],
    urls,
    body: html`${rendered}
      <aside class="meta" aria-labelledby="record-heading">
        <h2 id="record-heading">This advisory</h2>
        <dl>
          <dt>Advisory id</dt>
          <dd>${entry.id}</dd>
          ${
            entry.cveId
              ? html`<dt>CVE id</dt>
                  <dd>${entry.cveId}</dd>`
              : ''
          }
          <dt>Published</dt>
          <dd><time datetime="${entry.published}">${entry.published}</time></dd>
          <dt>Last modified</dt>
          <dd><time datetime="${entry.modified}">${entry.modified}</time></dd>
        </dl>
        <p>Machine-readable: <a href="${entry.urls.json}">JSON</a> · <a href="${entry.urls.osv}">OSV</a></p>
      </aside>`,
  });
}

/** The HTML 404: nothing about what was asked beyond that it is not here. */
export function notFoundPage(urls: SiteUrls): string {
  return page({
    title: 'Page not found',
    urls,
    body: html`<h1>Page not found</h1>
      <p>This page does not exist.</p>
      <p>
        <a href="/">See the projects on this instance</a>: each has its report form, security files and
        published advisories.
      </p>`,
  });
}

/** The site's stylesheet: readable type, visible focus, no colour-only meaning. */
export const STYLESHEET = `:root{color-scheme:light dark;font-family:system-ui,-apple-system,"Segoe UI",sans-serif;line-height:1.5}
body{margin:0 auto;max-width:60rem;padding:0 1rem}
.demo-banner{background:Mark;color:MarkText;border:2px solid MarkText;padding:.25rem 1rem;margin:.5rem 0}.demo-banner p{margin:0}
.skip-link{position:absolute;left:-999px}.skip-link:focus{left:1rem;top:1rem;background:Canvas;padding:.5rem}
.site-header{display:flex;flex-wrap:wrap;gap:1rem;align-items:center;border-bottom:1px solid GrayText;padding:.75rem 0}
.site-header ul,.trail ol,.links{list-style:none;display:flex;flex-wrap:wrap;gap:1rem;margin:0;padding:0}
.trail ol li+li::before{content:"/ ";}
.brand{font-weight:700;font-size:1.25rem;text-decoration:none}
.cards{list-style:none;padding:0;display:grid;gap:1rem}
.card{border:1px solid GrayText;border-radius:.5rem;padding:1rem}
.card h3{margin-top:0}
table{border-collapse:collapse;width:100%}caption{text-align:left;font-weight:600}
th,td{border-bottom:1px solid GrayText;padding:.4rem;text-align:left;vertical-align:top}
a:focus-visible{outline:3px solid Highlight;outline-offset:2px}
code{overflow-wrap:anywhere}
.meta{border-top:1px solid GrayText;margin-top:2rem}
.meta dt{font-weight:600}.meta dd{margin:0 0 .5rem}
.pages{margin-top:1rem}
.site-footer{border-top:1px solid GrayText;margin-top:2rem;font-size:.9rem}
`;
