/**
 * Every module that writes SQL, with its recorded calls: add a `<module>.queries.ts` beside this
 * file for a new repository and list it here (query-snapshots.test.ts checks that none is missing).
 */
import accessLogRepo from './access-log.repo.queries.js';
import accountsRepo from './accounts.repo.queries.js';
import advisoryRenderRepo from './advisory-render.repo.queries.js';
import advisoryRepo from './advisory.repo.queries.js';
import auditEventsRepo from './audit-events.repo.queries.js';
import auditLog from './audit.log.queries.js';
import casesRepo from './cases.repo.queries.js';
import caseSearchRepo from './case-search.repo.queries.js';
import ciRepo from './ci.repo.queries.js';
import dashboardRepo from './dashboard.repo.queries.js';
import distributorsRepo from './distributors.repo.queries.js';
import disclosureDateRepo from './disclosure-date.repo.queries.js';
import earlyDisclosureRepo from './early-disclosure.repo.queries.js';
import fixLeadRepo from './fix-lead.repo.queries.js';
import heldRepo from './held.repo.queries.js';
import instanceSecrets from './instance-secrets.queries.js';
import instanceSettings from './instance-settings.queries.js';
import jobQueue from './job.queue.queries.js';
import jobRunner from './job.runner.queries.js';
import keyRotation from './key-rotation.service.queries.js';
import mailQueueRepo from './mail-queue.repo.queries.js';
import membersRepo from './members.repo.queries.js';
import notificationsRepo from './notifications.repo.queries.js';
import oidcRepo from './oidc.repo.queries.js';
import passkeysRepo from './passkeys.repo.queries.js';
import pgpRepo from './pgp.repo.queries.js';
import portalRepo from './portal.repo.queries.js';
import projectsRepo from './projects.repo.queries.js';
import publicationRepo from './publication.repo.queries.js';
import publicRepo from './public.repo.queries.js';
import type { QueryDeclaration } from './query-snapshot.js';
import rateLimit from './rate-limit.queries.js';
import retrospectiveRepo from './retrospective.repo.queries.js';
import releasesRepo from './releases.repo.queries.js';
import repositoryRepo from './repository.repo.queries.js';
import siteRepo from './site.repo.queries.js';
import twoFactorRepo from './two-factor.repo.queries.js';
import webhooksRepo from './webhooks.repo.queries.js';

export const QUERY_DECLARATIONS: readonly QueryDeclaration[] = [
  accountsRepo,
  projectsRepo,
  publicRepo,
  pgpRepo,
  casesRepo,
  caseSearchRepo,
  advisoryRepo,
  advisoryRenderRepo,
  auditLog,
  auditEventsRepo,
  jobQueue,
  jobRunner,
  rateLimit,
  instanceSecrets,
  instanceSettings,
  keyRotation,
  fixLeadRepo,
  membersRepo,
  ciRepo,
  retrospectiveRepo,
  releasesRepo,
  repositoryRepo,
  siteRepo,
  distributorsRepo,
  portalRepo,
  disclosureDateRepo,
  earlyDisclosureRepo,
  publicationRepo,
  webhooksRepo,
  oidcRepo,
  passkeysRepo,
  heldRepo,
  twoFactorRepo,
  accessLogRepo,
  dashboardRepo,
  notificationsRepo,
  mailQueueRepo,
];
