import type { ReactNode } from 'react';
import { DemoBanner } from './DemoBanner.js';
import { SiteHeader } from './SiteHeader.js';

/**
 * The frame of the pages a reporter sees without an account: a plain header whose name leads to
 * the public front page (rendered by the server), no navigation into the app, nothing about who
 * may be signed in in this browser.
 */
export function PublicLayout({ children }: { children: ReactNode }) {
  return (
    <>
      <DemoBanner />
      <SiteHeader>
        <a href="/" className="brand">
          Vigil
        </a>
        <span className="site-header-note">Private security reporting</span>
      </SiteHeader>
      <main id="main" className="public-main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
