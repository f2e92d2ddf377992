import { useEffect, useRef, type ReactNode } from 'react';
import { useAsyncAction } from '../hooks.js';
import { Link, navigate, useLocation } from '../router.js';
import type { Session } from '../api/types.js';
import { useSession } from '../session.js';
import { NotificationsBell } from './NotificationsBell.js';
import { MailBanner } from './MailBanner.js';
import { ProblemAlert } from './ProblemAlert.js';
import { DemoBanner } from './DemoBanner.js';
import { SiteHeader } from './SiteHeader.js';

/**
 * Says which projects ask for two-factor sign-in when this session has one factor: the person's
 * role there does not count until they sign in with two (their projects answer as to anyone).
 */
function TwoFactorRequired({ twoFactor }: { twoFactor: Session['twoFactor'] }) {
  if (twoFactor.factors >= 2 || twoFactor.requiredBy.length === 0) return null;
  const names = twoFactor.requiredBy.map((p) => p.name).join(', ');
  return (
    <div className="alert alert-warning" role="status">
      <p className="alert-title">
        {twoFactor.requiredBy.length === 1 ? `Project ${names} requires` : `Projects ${names} require`}{' '}
        two-factor sign-in
      </p>
      <p>
        Until you sign in with a second factor, you cannot see{' '}
        {twoFactor.requiredBy.length === 1 ? 'it' : 'them'}. Set it up under{' '}
        <Link to="/account">Account</Link>, or sign out and in again with your code.
      </p>
    </div>
  );
}

/** The page frame: a skip link, the header with navigation and the signed-in user, and <main>. */
export function Layout({ children }: { children: ReactNode }) {
  const { state, signOut } = useSession();
  const { pathname } = useLocation();
  const signingOut = useAsyncAction();
  const main = useRef<HTMLElement>(null);
  const firstRender = useRef(true);

  // After an in-app navigation, move focus to the new page's heading, as a page load would.
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    const heading = main.current?.querySelector<HTMLElement>('h1');
    if (heading) {
      heading.setAttribute('tabindex', '-1');
      heading.focus();
    }
  }, [pathname]);

  function handleSignOut() {
    void signingOut.run(async () => {
      await signOut();
      navigate('/sign-in');
    });
  }

  const session = state.status === 'signed-in' ? state.session : null;
  const nav = session
    ? [
        { to: '/dashboard', label: 'Dashboard' },
        { to: '/projects', label: 'Projects' },
        { to: '/cases', label: 'Cases' },
        // The distributors' portal: the cases shared with one's distributors-list organisations.
        { to: '/portal', label: 'Portal' },
        ...(session.abilities['instance.users.manage'] ? [{ to: '/users', label: 'Users' }] : []),
        ...(session.abilities['instance.mail-queue.read']
          ? [{ to: '/admin/mail-queue', label: 'Mail queue' }]
          : []),
        { to: '/account', label: 'Account' },
      ]
    : [];

  return (
    <>
      <DemoBanner />
      <SiteHeader>
        <Link to={session ? '/dashboard' : '/'} className="brand">
          Vigil
        </Link>
        {session ? (
          <>
            <nav aria-label="Main">
              <ul>
                {nav.map((item) => {
                  const current = pathname === item.to || pathname.startsWith(`${item.to}/`);
                  return (
                    <li key={item.to}>
                      <Link to={item.to} aria-current={current ? 'page' : undefined}>
                        {item.label}
                      </Link>
                    </li>
                  );
                })}
              </ul>
            </nav>
            <div className="whoami">
              <NotificationsBell />
              <span className="whoami-email" data-testid="signed-in-email">
                {session.user.email}
              </span>
              <button type="button" className="button-quiet" onClick={handleSignOut}>
                Sign out
              </button>
            </div>
          </>
        ) : null}
      </SiteHeader>
      <main id="main" ref={main} tabIndex={-1}>
        <ProblemAlert error={signingOut.error} title="Signing out failed" />
        {session ? <TwoFactorRequired twoFactor={session.twoFactor} /> : null}
        {session ? <MailBanner /> : null}
        {children}
      </main>
    </>
  );
}
