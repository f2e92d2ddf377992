/** The service container: every module's service, built once from shared dependencies. */
import { join } from 'node:path';
import type { Db } from '../db/connection.js';
import type { Clock } from '../lib/clock.js';
import { createApiTokensService, type ApiTokensService } from '../modules/accounts/api-tokens.service.js';
import { createSessionsService, type SessionsService } from '../modules/accounts/sessions.service.js';
import {
  createTwoFactorService,
  type TwoFactorService,
} from '../modules/accounts/two-factor/two-factor.service.js';
import {
  createSignInLinksService,
  type SignInLinksService,
} from '../modules/accounts/sign-in-links.service.js';
import { createUsersService, type UsersService } from '../modules/accounts/users.service.js';
import {
  createNotificationsService,
  type NotificationsService,
} from '../modules/notifications/notifications.service.js';
import { createOidcService, type OidcService } from '../modules/accounts/oidc/oidc.service.js';
import type { OidcSettings } from '../modules/accounts/oidc/oidc.settings.js';
import {
  createPasskeysService,
  type PasskeysService,
} from '../modules/accounts/passkeys/passkeys.service.js';
import { createAdvisoryService, type AdvisoryService } from '../modules/advisory/advisory.service.js';
import {
  createAdvisoryExportService,
  type AdvisoryExportService,
} from '../modules/advisory/export/export.service.js';
import {
  createAdvisoryImportService,
  type AdvisoryImportService,
} from '../modules/advisory/import/import.service.js';
import {
  createAdvisoryRenderService,
  type AdvisoryRenderService,
} from '../modules/advisory/render/advisory-render.service.js';
import type { Keyring } from '../lib/crypto/keyring.js';
import type { PasswordHasher } from '../modules/accounts/password.js';
import { VIGIL_VERSION } from '../lib/version.js';
import { instanceSecret } from '../lib/instance-secrets.js';
import { createIntakeService, type IntakeService } from '../modules/cases/intake/intake.service.js';
import { HELD_SECRET } from '../modules/cases/intake/held.js';
import { createHeldIntakeService, type HeldIntakeService } from '../modules/cases/intake/held.service.js';
import { createCweCatalogue } from '../modules/cwe/cwe-catalogue.js';
import { createCweService, type CweService } from '../modules/cwe/cwe.service.js';
import { createMailIntake, type MailIntake } from '../modules/cases/intake/mail-intake.service.js';
import { createPgpService, type PgpService } from '../modules/pgp/pgp.service.js';
import { createPublicService, type PublicService } from '../modules/public/public.service.js';
import { createPublicSiteService, type PublicSiteService } from '../modules/public/site/site.service.js';
import { createProjectsService, type ProjectsService } from '../modules/projects/projects.service.js';
import { createTriageService, type TriageService } from '../modules/cases/triage/triage.service.js';
import { createDashboardService, type DashboardService } from '../modules/dashboard/dashboard.service.js';
import {
  createAuditEventsService,
  type AuditEventsService,
} from '../modules/audit-events/audit-events.service.js';
import {
  createConversationService,
  type ConversationService,
} from '../modules/cases/triage/conversation.service.js';
import {
  createRetrospectiveService,
  type RetrospectiveService,
} from '../modules/fix/retrospective/retrospective.service.js';
import { createFixLeadService, type FixLeadService } from '../modules/fix/team/fix-lead.service.js';
import { createCaseMembersService, type CaseMembersService } from '../modules/fix/team/members.service.js';
import { createPhasesService, type PhasesService } from '../modules/fix/phases/phases.service.js';
import { createReleasesService, type ReleasesService } from '../modules/fix/releases/releases.service.js';
import { createCiService, type CiService } from '../modules/fix/ci/ci.service.js';
import { createRunnersService, type RunnersService } from '../modules/fix/ci/runners.service.js';
import {
  createGitHttpService,
  type GitHttpService,
  type RunnerTokenResolver,
} from '../modules/fix/repository/git-http.service.js';
import {
  createRepositoryService,
  type RepositoryService,
} from '../modules/fix/repository/repository.service.js';
import {
  createDistributorApplicationsService,
  type DistributorApplicationsService,
} from '../modules/embargo/distributors/applications.service.js';
import {
  createDistributorsListService,
  type DistributorsListService,
} from '../modules/embargo/distributors/list.service.js';
import {
  createDistributorLeaksService,
  type DistributorLeaksService,
} from '../modules/embargo/distributors/leaks.service.js';
import { loadConfig } from '../lib/config.js';
import {
  createDisclosureDateService,
  type DisclosureDateService,
} from '../modules/embargo/disclosure-date/disclosure-date.service.js';
import { createPortalService, type PortalService } from '../modules/embargo/portal/portal.service.js';
import {
  createEarlyDisclosureService,
  type EarlyDisclosureService,
} from '../modules/embargo/early-disclosure/early-disclosure.service.js';
import {
  createLeakTraceService,
  type LeakTraceService,
} from '../modules/embargo/early-disclosure/leak-trace.service.js';
import {
  createPublicationService,
  type PublicationService,
} from '../modules/embargo/publication/publication.service.js';
import { createWebhooksService, type WebhooksService } from '../modules/webhooks/webhooks.service.js';
import { createAccessLogService, type AccessLogService } from '../modules/access/access-log.service.js';
import { createMailQueueService, type MailQueueService } from '../modules/mail-queue/mail-queue.service.js';
import { createInstanceService, type InstanceService } from '../modules/demo/instance.service.js';

export interface Services {
  users: UsersService;
  sessions: SessionsService;
  twoFactor: TwoFactorService;
  apiTokens: ApiTokensService;
  signInLinks: SignInLinksService;
  /** OpenID Connect sign-in (off unless VIGIL_OIDC_ISSUER is set) and the sign-in methods. */
  oidc: OidcService;
  /** WebAuthn passkeys: one's own, signing in with one, and as a second factor. */
  passkeys: PasskeysService;
  projects: ProjectsService;
  intake: IntakeService;
  /** Held reports (possibly a flood): the proof-of-work challenge, confirmations, the team's release. */
  heldIntake: HeldIntakeService;
  triage: TriageService;
  dashboard: DashboardService;
  pgp: PgpService;
  publicPages: PublicService;
  /** The public site: front page, advisories, feeds, OSV archives and query API. */
  publicSite: PublicSiteService;
  mailIntake: MailIntake;
  cwe: CweService;
  advisories: AdvisoryService;
  advisoryExport: AdvisoryExportService;
  advisoryRender: AdvisoryRenderService;
  advisoryImport: AdvisoryImportService;
  retrospectives: RetrospectiveService;
  fixLead: FixLeadService;
  caseMembers: CaseMembersService;
  releases: ReleasesService;
  phases: PhasesService;
  runners: RunnersService;
  ci: CiService;
  /** The case's private fix repository: its API, and git's smart HTTP protocol. */
  repositories: RepositoryService;
  gitHttp: GitHttpService;
  /** The distributors list (PROCESS.md §7): applications and vouches, members, leaks. */
  distributorApplications: DistributorApplicationsService;
  distributorsList: DistributorsListService;
  distributorLeaks: DistributorLeaksService;
  /** The distributors' portal, and the disclosure date's negotiation (issue 10). */
  portal: PortalService;
  disclosureDates: DisclosureDateService;
  /** The distributors' notice, one fingerprinted copy per person (PROCESS.md §7), and leak tracing. */
  earlyDisclosure: EarlyDisclosureService;
  leakTrace: LeakTraceService;
  /** A case's publication at the agreed instant (issue 10), and the project's webhooks. */
  publication: PublicationService;
  webhooks: WebhooksService;
  /** Who has read a case's confidential content (issue 11, item 2). */
  accessLog: AccessLogService;
  /** A case's conversation as a paginated list. */
  conversation: ConversationService;
  /** A project's audit events, a page at a time. */
  auditEvents: AuditEventsService;
  notifications: NotificationsService;
  /** Whether mail goes out (the banner) and the admins' mail queue. */
  mailQueue: MailQueueService;
  /** What any page may know of the instance (a demo's banner). */
  instance: InstanceService;
  /** The instance secret that tags per-case reply addresses (created on first use). */
  replySecret: () => Promise<Buffer>;
}

export interface ServiceDeps {
  db: Db;
  clock: Clock;
  cipher: Pick<Keyring, 'encryptField' | 'decryptField' | 'encryptBytes' | 'decryptBytes'>;
  publicUrl: string;
  /** The instance's security contact for /.well-known/security.txt (VIGIL_SECURITY_CONTACT). */
  securityContact?: string | undefined;
  /** The CNA organisation UUID for CVE record exports (VIGIL_CNA_ORG_ID). */
  cnaOrgId?: string | undefined;
  /** The domain of per-case reply addresses (VIGIL_MAIL_REPLY_DOMAIN; the public URL's host by default). */
  replyDomain?: string | undefined;
  /** How passwords are hashed: argon2id at OWASP's cost unless given. */
  passwords?: PasswordHasher | undefined;
  /** Where the cases' fix repositories live: `DATA/repositories` unless given. */
  repositoriesDir?: string | undefined;
  /** Resolves CI runners' tokens (`vgr_...`), so that a runner may clone the case it tests. */
  runnerTokens?: RunnerTokenResolver | undefined;
  /** Webhooks may point at loopback receivers, over http too (VIGIL_ALLOW_LOCAL_WEBHOOKS=true). */
  allowLocalWebhooks?: boolean | undefined;
  /** OpenID Connect sign-in (VIGIL_OIDC_*): off when unset. */
  oidc?: OidcSettings | undefined;
  /** Leading zero bits of a report's proof of work (held.ts DEFAULT_PROOF_BITS unless given). */
  proofOfWorkBits?: number | undefined;
  /** This instance can send mail (VIGIL_SMTP_URL is set); false unless given. */
  mailConfigured?: boolean | undefined;
}

export function createServices(given: ServiceDeps): Services {
  const deps = {
    ...given,
    repositoriesDir: given.repositoriesDir ?? join(loadConfig(process.env).dataDir, 'repositories'),
  };
  let secret: Promise<Buffer> | undefined;
  const replySecret = () => (secret ??= instanceSecret(deps.db, deps.cipher, deps.clock, 'mail.reply'));
  let held: Promise<Buffer> | undefined;
  const heldSecret = () => (held ??= instanceSecret(deps.db, deps.cipher, deps.clock, HELD_SECRET));
  const pgp = createPgpService(deps);
  const intake = createIntakeService({
    ...deps,
    heldSecret,
    decryptingKeys: (projectId) => pgp.decryptingKeys(projectId),
  });
  const advisories = createAdvisoryService(deps);
  const apiTokens = createApiTokensService(deps);
  const runners = createRunnersService(deps);
  return {
    users: createUsersService(deps),
    sessions: createSessionsService(deps),
    twoFactor: createTwoFactorService(deps),
    apiTokens,
    signInLinks: createSignInLinksService(deps),
    oidc: createOidcService(deps),
    passkeys: createPasskeysService(deps),
    projects: createProjectsService(deps),
    intake,
    heldIntake: createHeldIntakeService({ ...deps, heldSecret }),
    triage: createTriageService(deps),
    dashboard: createDashboardService(deps),
    pgp,
    publicPages: createPublicService({
      ...deps,
      keyFingerprint: async (slug) => (await pgp.getPublicKey(slug)).fingerprint,
    }),
    publicSite: createPublicSiteService(deps),
    mailIntake: createMailIntake({
      ...deps,
      intake,
      pgp,
      replySecret,
      replyDomain: deps.replyDomain ?? new URL(deps.publicUrl).hostname.replace(/^\[|\]$/g, ''),
    }),
    replySecret,
    cwe: createCweService({ catalogue: createCweCatalogue() }),
    advisories,
    advisoryExport: createAdvisoryExportService({
      ...deps,
      advisories,
      version: VIGIL_VERSION,
      cnaOrgId: deps.cnaOrgId,
    }),
    advisoryImport: createAdvisoryImportService(deps),
    advisoryRender: createAdvisoryRenderService({ ...deps, advisories }),
    retrospectives: createRetrospectiveService(deps),
    fixLead: createFixLeadService(deps),
    caseMembers: createCaseMembersService(deps),
    releases: createReleasesService(deps),
    phases: createPhasesService(deps),
    runners,
    ci: createCiService(deps),
    repositories: createRepositoryService(deps),
    gitHttp: createGitHttpService({ ...deps, apiTokens, runnerTokens: deps.runnerTokens ?? runners }),
    distributorApplications: createDistributorApplicationsService(deps),
    distributorsList: createDistributorsListService(deps),
    distributorLeaks: createDistributorLeaksService(deps),
    portal: createPortalService(deps),
    disclosureDates: createDisclosureDateService(deps),
    earlyDisclosure: createEarlyDisclosureService({ ...deps, advisories }),
    leakTrace: createLeakTraceService(deps),
    publication: createPublicationService(deps),
    webhooks: createWebhooksService(deps),
    accessLog: createAccessLogService(deps),
    conversation: createConversationService(deps),
    auditEvents: createAuditEventsService(deps),
    notifications: createNotificationsService(deps),
    mailQueue: createMailQueueService({ ...deps, mailConfigured: deps.mailConfigured ?? false }),
    instance: createInstanceService(deps),
  };
}
