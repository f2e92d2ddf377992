import type { ReactNode } from 'react';
import { SiteHeader } from './SiteHeader.js';

/**
 * The frame of the pages a reporter sees without an account: a plain header, no navigation into
 * the app, nothing about who may be signed in in this browser.
 */
export function PublicLayout({ children }: { children: ReactNode }) {
  return (
    <>
      <SiteHeader>
        <span className="brand">Vigil</span>
        <span className="site-header-note">Private security reporting</span>
      </SiteHeader>
      <main id="main" className="public-main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
