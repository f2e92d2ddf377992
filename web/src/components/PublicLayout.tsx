import type { ReactNode } from 'react';

/**
 * The frame of the pages a reporter sees without an account: a plain header, no navigation into
 * the app, nothing about who may be signed in in this browser.
 */
export function PublicLayout({ children }: { children: ReactNode }) {
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <div className="site-header-inner">
          <span className="brand">Vigil</span>
          <span className="site-header-note">Private security reporting</span>
        </div>
      </header>
      <main id="main" className="public-main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
