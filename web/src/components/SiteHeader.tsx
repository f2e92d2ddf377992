import type { ReactNode } from 'react';

/** The skip link to `#main` and the site's header bar, holding what each page frame puts there. */
export function SiteHeader({ children }: { children: ReactNode }) {
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <div className="site-header-inner">{children}</div>
      </header>
    </>
  );
}
