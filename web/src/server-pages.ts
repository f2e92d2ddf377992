/**
 * The paths the server renders itself, outside the single-page app: the public site (the front
 * page, project and advisory pages, feeds, OSV archives and API) and the security files. A link
 * to one of them loads it from the server instead of routing inside the app.
 */

const SERVER_PAGES: readonly RegExp[] = [
  /^\/$/,
  /^\/p\/[^/]+\/?$/,
  /^\/p\/[^/]+\/advisories(\/[^/]+|\.atom|\.json)?\/?$/,
  /^\/p\/[^/]+\/(security\.txt|SECURITY\.md|pgp-key\.asc)$/,
  /^\/advisories\.(atom|json)$/,
  /^\/osv\//,
  /^\/\.well-known\//,
];

/** True when `to` (a same-origin path, maybe with query or fragment) is a page the server renders. */
export function isServerPage(to: string): boolean {
  const path = to.split(/[?#]/)[0] ?? '';
  return SERVER_PAGES.some((page) => page.test(path));
}
