/**
 * The routes. The reporter's pages (public form, private link) are open to anyone and never look
 * at the session; sign-in pages are open; everything else needs a session and sends a signed-out
 * user to /sign-in, remembering where they were going. The site's root and the public advisory
 * pages are the server's (src/modules/public/site; see server-pages.ts): the app's home is
 * /projects, where signing in lands.
 */
import { Layout } from './components/Layout.js';
import { PublicLayout } from './components/PublicLayout.js';
import { ProblemAlert } from './components/ProblemAlert.js';
import { Loading } from './components/Status.js';
import { AccountPage } from './pages/AccountPage.js';
import { AdvisoryRoute } from './pages/advisory/AdvisoryRoute.js';
import { CasePage } from './pages/CasePage.js';
import { CasesPage } from './pages/CasesPage.js';
import { DashboardPage } from './pages/DashboardPage.js';
import { InvitationsPage } from './pages/InvitationsPage.js';
import { LeakTracePage } from './pages/case/LeakTracePage.js';
import { NotFoundPage } from './pages/NotFoundPage.js';
import { NotificationsPage } from './pages/NotificationsPage.js';
import { PortalCasePage } from './pages/portal/PortalCasePage.js';
import { PortalPage } from './pages/portal/PortalPage.js';
import { ProjectPage } from './pages/ProjectPage.js';
import { ProjectsPage } from './pages/ProjectsPage.js';
import { DistributorApplyPage } from './pages/public/DistributorApplyPage.js';
import { ReportFormPage } from './pages/public/ReportFormPage.js';
import { ReporterPage } from './pages/public/ReporterPage.js';
import { ConfirmReportPage } from './pages/public/ConfirmReportPage.js';
import { SignInLinkPage } from './pages/SignInLinkPage.js';
import { SignInPage } from './pages/SignInPage.js';
import { UsersPage } from './pages/UsersPage.js';
import { MailQueuePage } from './pages/admin/MailQueuePage.js';
import { LeakReportPage } from './pages/distributors/LeakReportPage.js';
import { VouchPage } from './pages/distributors/VouchPage.js';
import { matchPublicRoute, type PublicRoute } from './public-paths.js';
import { matchPath, Redirect, useLocation } from './router.js';
import { useSession } from './session.js';

/** The whole app below the session provider. */
export function App() {
  const { pathname } = useLocation();
  const publicRoute = matchPublicRoute(pathname);
  if (publicRoute) {
    return (
      <PublicLayout>
        <PublicPage route={publicRoute} />
      </PublicLayout>
    );
  }
  return (
    <Layout>
      <Routes />
    </Layout>
  );
}

function PublicPage({ route }: { route: PublicRoute }) {
  if (route.page === 'distributors-apply') return <DistributorApplyPage key={route.slug} slug={route.slug} />;
  if (route.page === 'confirm-report') return <ConfirmReportPage />;
  return route.page === 'report-form' ? (
    <ReportFormPage key={route.slug} slug={route.slug} />
  ) : (
    <ReporterPage key={route.token} token={route.token} />
  );
}

function Routes() {
  const location = useLocation();
  const { state } = useSession();
  const path = location.pathname.replace(/\/+$/, '') || '/';

  if (path === '/sign-in/link') return <SignInLinkPage />;
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <ProblemAlert error={state.error} />;
  if (path === '/sign-in') return <SignInPage />;
  if (state.status === 'signed-out') {
    const next = encodeURIComponent(location.pathname + location.search);
    return <Redirect to={path === '/' ? '/sign-in' : `/sign-in?next=${next}`} />;
  }

  if (path === '/') return <Redirect to="/dashboard" />;
  if (path === '/dashboard') return <DashboardPage />;
  if (path === '/projects') return <ProjectsPage />;
  const project = matchPath('/projects/:slug', path);
  if (project?.slug) return <ProjectPage key={project.slug} slug={project.slug} />;
  if (path === '/cases') return <CasesPage />;
  const advisoryRoute = matchPath('/cases/:humanId/advisory', path);
  if (advisoryRoute?.humanId)
    return <AdvisoryRoute key={advisoryRoute.humanId} humanId={advisoryRoute.humanId} />;
  const leakRoute = matchPath('/cases/:humanId/leak-trace', path);
  if (leakRoute?.humanId) return <LeakTracePage key={leakRoute.humanId} humanId={leakRoute.humanId} />;
  const caseRoute = matchPath('/cases/:humanId', path);
  if (caseRoute?.humanId) return <CasePage key={caseRoute.humanId} humanId={caseRoute.humanId} />;
  if (path === '/users' && state.session.abilities['instance.users.manage']) return <UsersPage />;
  if (path === '/admin/mail-queue' && state.session.abilities['instance.mail-queue.read'])
    return <MailQueuePage />;
  if (path === '/portal') return <PortalPage />;
  const portalCase = matchPath('/portal/cases/:id', path);
  if (portalCase?.id) return <PortalCasePage key={portalCase.id} id={portalCase.id} />;
  if (path === '/account') return <AccountPage />;
  if (path === '/notifications') return <NotificationsPage />;
  if (path === '/invitations') return <InvitationsPage />;
  const vouch = matchPath('/vouches/:applicationId', path);
  if (vouch?.applicationId)
    return <VouchPage key={vouch.applicationId} applicationId={vouch.applicationId} />;
  const leak = matchPath('/distributors/:slug/leak', path);
  if (leak?.slug) return <LeakReportPage key={leak.slug} slug={leak.slug} />;
  return <NotFoundPage />;
}
