/**
 * The pages anyone may open without an account: the public report form, the reporter's view
 * behind the private link, the confirmation of a held report (its receipt mail's link), and the application to a project's distributors list. They never wait
 * for, ask for or redirect to a session.
 */
import { matchPath } from './router.js';

export type PublicRoute =
  | { page: 'report-form'; slug: string }
  | { page: 'reporter'; token: string }
  | { page: 'distributors-apply'; slug: string }
  | { page: 'confirm-report' };

/** The public page `path` is, or null for the signed-in app. */
export function matchPublicRoute(path: string): PublicRoute | null {
  const form = matchPath('/p/:slug/report', path);
  if (form?.slug) return { page: 'report-form', slug: form.slug };
  const apply = matchPath('/p/:slug/distributors/apply', path);
  if (apply?.slug) return { page: 'distributors-apply', slug: apply.slug };
  if (path.replace(/\/+$/, '') === '/confirm-report') return { page: 'confirm-report' };
  const reporter = matchPath('/r/:token', path);
  if (reporter?.token) return { page: 'reporter', token: reporter.token };
  return null;
}
