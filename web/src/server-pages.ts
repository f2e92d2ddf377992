/**
 * The paths the server renders itself, outside the single-page app: the public site (the front
 * page, project and advisory pages, feeds, OSV archives and API) and the security files. A link
 * to one of them loads it from the server instead of routing inside the app.
 */

const SERVER_PAGES: readonly RegExp[] = [
  /^\/$/,
  // Everything under /p/ but the app's public pages below (the server answers an unknown one 404).
  /^\/p(\/|$)/,
  /^\/advisories\.(atom|json)$/,
  /^\/osv\//,
  /^\/\.well-known\//,
];

/** The app's own public pages under /p/: a project's report form and distributors' application. */
const APP_PAGES_UNDER_P = /^\/p\/[^/]+\/(report|distributors\/apply)\/?$/;

/** True when `to` (a same-origin path, maybe with query or fragment) is a page the server renders. */
export function isServerPage(to: string): boolean {
  const path = to.split(/[?#]/)[0] ?? '';
  if (APP_PAGES_UNDER_P.test(path)) return false;
  return SERVER_PAGES.some((page) => page.test(path));
}
