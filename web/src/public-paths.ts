/**
 * The pages anyone may open without an account: the public report form and the reporter's view
 * behind the private link. They never wait for, ask for or redirect to a session.
 */
import { matchPath } from './router.js';

export type PublicRoute = { page: 'report-form'; slug: string } | { page: 'reporter'; token: string };

/** The public page `path` is, or null for the signed-in app. */
export function matchPublicRoute(path: string): PublicRoute | null {
  const form = matchPath('/p/:slug/report', path);
  if (form?.slug) return { page: 'report-form', slug: form.slug };
  const reporter = matchPath('/r/:token', path);
  if (reporter?.token) return { page: 'reporter', token: reporter.token };
  return null;
}
