/**
 * A tiny router on the History API: the current location as React state, `navigate()`, a `<Link>`
 * that navigates without reloading, and `matchPath()` for `/projects/:slug` style patterns.
 */
import { useEffect, useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from 'react';
import { isServerPage } from './server-pages.js';

const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

function notify(): void {
  for (const listener of listeners) listener();
}

/** The current URL (path, query and fragment), re-rendering on every navigation. */
export function useLocation(): URL {
  const href = useSyncExternalStore(subscribe, () => window.location.href);
  return new URL(href);
}

let guard: (() => boolean) | null = null;

/**
 * Installs a check run before each in-app navigation (e.g. "leave without saving?"); it returns
 * false to stay. Pass null to remove it.
 */
export function setNavigationGuard(check: (() => boolean) | null): void {
  guard = check;
}

/**
 * Goes to `to` (a same-origin path) without reloading the page, unless the guard says to stay. A
 * page the server renders (the public site: `/`, `/p/:slug`, advisories, feeds) is loaded from it.
 */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (guard && !options.replace && !guard()) return;
  if (isServerPage(to)) {
    if (options.replace) window.location.replace(to);
    else window.location.assign(to);
    return;
  }
  if (options.replace) window.history.replaceState(null, '', to);
  else {
    window.history.pushState(null, '', to);
    window.scrollTo(0, 0);
  }
  notify();
}

/** Replaces the current URL without a navigation, e.g. to drop a secret from the fragment. */
export function replaceUrl(to: string): void {
  window.history.replaceState(null, '', to);
  notify();
}

/** Navigates as soon as it renders: for redirects. */
export function Redirect({ to }: { to: string }): null {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}

type LinkProps = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> & { to: string };

/** An anchor that navigates in-app on a plain click and behaves normally otherwise (new tab...). */
export function Link({ to, onClick, ...rest }: LinkProps) {
  function handleClick(event: MouseEvent<HTMLAnchorElement>) {
    onClick?.(event);
    if (
      event.defaultPrevented ||
      event.button !== 0 ||
      event.metaKey ||
      event.ctrlKey ||
      event.shiftKey ||
      event.altKey ||
      isServerPage(to)
    ) {
      return;
    }
    event.preventDefault();
    navigate(to);
  }
  return <a href={to} onClick={handleClick} {...rest} />;
}

/**
 * Matches `path` against `pattern` (`/projects/:slug`): the decoded parameters, or null when the
 * path does not match.
 */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/');
  const got = path.replace(/\/+$/, '').split('/');
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (const [i, part] of want.entries()) {
    const value = got[i] ?? '';
    if (part.startsWith(':')) {
      if (value === '') return null;
      try {
        params[part.slice(1)] = decodeURIComponent(value);
      } catch {
        return null;
      }
    } else if (part !== value) {
      return null;
    }
  }
  return params;
}

/**
 * A safe place to return to after signing in: a same-origin path, never `//host` or a full URL,
 * so a crafted `?next=` cannot send the user elsewhere. The site's root is the public front page:
 * signed in, people land on their dashboard.
 */
export function safeReturnPath(next: string | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/dashboard';
  if (next === '/') return '/dashboard';
  if (next.startsWith('/sign-in')) return '/dashboard';
  return next;
}
