/**
 * Starts a Vigil instance: opens and migrates the database, loads the encryption keyring, creates
 * the first admin on an empty instance (printing a one-time sign-in link, never a password),
 * serves HTTP and runs the job runner until SIGINT/SIGTERM.
 */
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createCheckpointer } from '../audit/audit.checkpoints.js';
import { openAuditLog } from '../audit/audit.setup.js';
import type { AuditKeys } from '../audit/audit.key.js';
import { openDb, type Db } from '../db/connection.js';
import { migrateToLatest } from '../db/migrate.js';
import { countJobsByState } from '../jobs/job.queue.js';
import { createJobRunner, type JobHandlers, type JobRunner } from '../jobs/job.runner.js';
import { systemClock, type Clock } from '../lib/clock.js';
import type { Config } from '../lib/config.js';
import { loadKeyring, type Keyring } from '../lib/crypto/keyring.js';
import { createLogger } from '../lib/logger.js';
import { removeServerAddress, writeServerAddress } from '../lib/server-address.js';
import type { Logger } from 'pino';
import { DEFAULT_MAX_INBOUND_BYTES } from '../mail/inbound/inbound.parser.js';
import type { SmtpListener } from '../mail/inbound/smtp-listener.js';
import { createMailer, mailSettingsFromEnv, type Mailer } from '../mail/outbound/mailer.js';
import { resolveMailProject } from '../modules/cases/intake/mail-routing.js';
import { caseMailHandlers } from '../modules/cases/case-mail.job.js';
import { memberInvitationHandlers } from '../modules/fix/team/member-invitation.job.js';
import { phaseReminderHandlers } from '../modules/fix/phases/phase-reminders.job.js';
import { distributorsMailHandlers } from '../modules/embargo/distributors/distributors-mail.job.js';
import { membersMailHandlers } from '../modules/projects/members-mail.job.js';
import { accountMailHandlers } from '../modules/accounts/account-mail.job.js';
import { disclosureDateMailHandlers } from '../modules/embargo/disclosure-date/disclosure-date-mail.job.js';
import { copyDeliveryHandlers } from '../modules/embargo/early-disclosure/copy-delivery.job.js';
import { PRUNE_JOB, pruneJobHandler, schedulePrune } from '../modules/maintenance/prune.job.js';
import {
  scheduleWaitingMailSweep,
  WAITING_MAIL_JOB,
  waitingMailHandler,
} from '../modules/notifications/waiting-mail.job.js';
import {
  DIGEST_DAY_JOB,
  digestDayJobHandler,
  digestMailHandlers,
  scheduleDigest,
} from '../modules/notifications/digest.job.js';
import { repositorySeedJobHandler } from '../modules/fix/repository/repository-seed.job.js';
import { repositoryFreezeJobHandler } from '../modules/fix/repository/repository-freeze.job.js';
import { FREEZE_JOB, SEED_JOB } from '../modules/fix/repository/repository.steps.js';
import { publicationJobHandlers } from '../modules/embargo/publication/publication.job.js';
import { publicationMailHandlers } from '../modules/embargo/publication/publication-mail.job.js';
import { webhookDeliveryHandlers } from '../modules/webhooks/webhook-delivery.job.js';
import { oidcSettingsFromEnv } from '../modules/accounts/oidc/oidc.settings.js';
import { buildApp, VERSION } from './app.js';
import { auditWitnesses } from './audit-witnesses.js';
import { createServices, type Services } from './services.js';

export interface StartOptions {
  /** Email of the first admin, created only on an empty instance. */
  adminEmail: string;
  print: (line: string) => void;
}

/** Resolves port 0 to a free port up front, so that links printed and mailed name the real port. */
export async function resolvePort(host: string, port: number): Promise<number> {
  if (port !== 0) return port;
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, host, () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/**
 * Opens and migrates the database, loads the keyring and the audit key (re-sealing a legacy audit
 * chain under it, once).
 */
async function openStorage(
  config: Config,
  logger: Logger,
  clock: Clock,
): Promise<{ db: Db; keyring: Keyring; auditKeys: AuditKeys }> {
  const slowMs = config.slowQueryMs;
  const db = openDb({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    // The SQL text only: its values (which may be secrets, sealed or not) are never logged.
    onQuery:
      slowMs === undefined
        ? undefined
        : (sql, ms) => {
            if (ms >= slowMs) logger.warn({ sql: sql.slice(0, 2000), ms: Math.round(ms) }, 'slow query');
          },
  });
  try {
    const keyring = loadKeyring({
      dataDir: config.dataDir,
      masterKey: config.masterKey,
      previousMasterKey: config.previousMasterKey,
    });
    const applied = await migrateToLatest(db, { keyring: () => keyring });
    if (applied.length > 0) logger.info({ applied }, 'database migrated');
    const audit = await openAuditLog(db, config, clock);
    if (audit.sealed > 0) {
      logger.info(
        { events: audit.sealed, keyId: audit.keys.keyId },
        'audit chain re-sealed under the audit key',
      );
    }
    return { db, keyring, auditKeys: audit.keys };
  } catch (err) {
    await db.close();
    throw err;
  }
}

/** Webhooks may point at loopback receivers (VIGIL_ALLOW_LOCAL_WEBHOOKS=true). */
function allowLocalWebhooks(): boolean {
  return process.env.VIGIL_ALLOW_LOCAL_WEBHOOKS === 'true';
}

/**
 * How long a job's claim lasts without renewal (VIGIL_JOB_LEASE_SECONDS, 2 to 3600; 300 by
 * default): how soon another instance takes over the jobs of one that died.
 */
function jobLeaseMs(): number | undefined {
  const raw = process.env.VIGIL_JOB_LEASE_SECONDS;
  if (!raw) return undefined;
  const seconds = Number(raw);
  if (!Number.isInteger(seconds) || seconds < 2 || seconds > 3600) {
    throw new Error(
      `VIGIL_JOB_LEASE_SECONDS must be a whole number of seconds from 2 to 3600, not "${raw}".`,
    );
  }
  return seconds * 1000;
}

/**
 * Starts the job runner with its handlers, and schedules the hourly prune, the daily digest and,
 * without SMTP, the minutely waiting-mail sweep.
 */
async function startJobs(deps: {
  db: Db;
  clock: Clock;
  logger: Logger;
  keyring: Keyring;
  mailer: Mailer;
  services: Services;
  repositoriesDir: string;
  publicUrl: string;
}): Promise<JobRunner> {
  const { db, clock, logger, mailer } = deps;
  // Without SMTP the mail jobs are not claimed here: they wait in the queue (vigil_jobs{state="pending"})
  // until an instance with mail configured runs them, instead of failing after their retries.
  // Their kinds are listed in src/modules/mail-queue/mail-job-kinds.ts (the mail queue and banner).
  // The mail jobs' handlers: run as they are where SMTP is set; without it, only the team notices
  // among them run, dry, from the waiting-mail sweep (src/modules/notifications/waiting-mail.job.ts).
  const mailHandlers: JobHandlers = {
    ...caseMailHandlers({
      db,
      cipher: deps.keyring,
      mailer,
      replySecret: deps.services.replySecret,
      repliesByMail: process.env.VIGIL_MAIL_REPLIES === 'true' || Boolean(process.env.VIGIL_SMTP_LISTEN),
    }),
    ...phaseReminderHandlers({ db, cipher: deps.keyring, mailer }),
    ...disclosureDateMailHandlers({ db, cipher: deps.keyring, mailer }),
    ...memberInvitationHandlers({ db, cipher: deps.keyring, mailer }),
    ...distributorsMailHandlers({ db, cipher: deps.keyring, mailer }),
    ...copyDeliveryHandlers({ db, cipher: deps.keyring, mailer }),
    ...publicationMailHandlers({ db, cipher: deps.keyring, mailer }),
    ...membersMailHandlers({ db, mailer }),
    ...accountMailHandlers({ db, mailer }),
    ...digestMailHandlers({ db, mailer }),
  };
  const handlers = {
    [PRUNE_JOB]: pruneJobHandler(db),
    [DIGEST_DAY_JOB]: digestDayJobHandler(db),
    [SEED_JOB]: repositorySeedJobHandler({
      db,
      repositoriesDir: deps.repositoriesDir,
      allowLocalUpstream: process.env.VIGIL_ALLOW_LOCAL_UPSTREAM === 'true',
    }),
    [FREEZE_JOB]: repositoryFreezeJobHandler({ db, repositoriesDir: deps.repositoriesDir }),
    // Publication at the agreed instant and its webhooks run on every instance; its mail needs SMTP.
    ...publicationJobHandlers({ db, cipher: deps.keyring, repositoriesDir: deps.repositoriesDir }),
    ...webhookDeliveryHandlers({
      db,
      cipher: deps.keyring,
      publicUrl: deps.publicUrl,
      allowLocalWebhooks: allowLocalWebhooks(),
    }),
    // Without SMTP, the team is still told in Vigil: the sweep runs the team notices' handlers dry.
    ...(mailer.configured ? mailHandlers : { [WAITING_MAIL_JOB]: waitingMailHandler(db, mailHandlers) }),
  };
  const runner = createJobRunner({ db, clock, logger, handlers, leaseMs: jobLeaseMs() });
  await schedulePrune(db, clock);
  await scheduleDigest(db, clock);
  if (!mailer.configured) await scheduleWaitingMailSweep(db, clock);
  runner.start();
  return runner;
}

/**
 * The optional SMTP listener: `<project-slug>@any-domain` files a report to that project; a
 * case's reply address adds to its case. It answers 250 only once the mail is stored.
 */
async function startSmtpIntake(
  listen: string,
  db: Db,
  services: Services,
  logger: Logger,
): Promise<SmtpListener> {
  // smtp-server loads only on an instance that listens for mail.
  const { parseSmtpListen, startSmtpListener } = await import('../mail/inbound/smtp-listener.js');
  return startSmtpListener({
    ...parseSmtpListen(listen),
    maxBytes: DEFAULT_MAX_INBOUND_BYTES,
    acceptRecipient: (address) =>
      resolveMailProject(db, services, address).then((slug) => slug !== undefined),
    onMessage: async (envelope, raw) => {
      const slugs = new Set<string>();
      for (const rcpt of envelope.rcptTo) {
        const slug = await resolveMailProject(db, services, rcpt);
        if (slug) slugs.add(slug);
      }
      for (const slug of slugs) await services.mailIntake.ingest(slug, raw);
    },
    onError: (err) => logger.warn({ err: String(err) }, 'smtp intake'),
  });
}

type FirstAdmin = Awaited<ReturnType<Services['users']['ensureFirstAdmin']>>;

/** Tells the operator where Vigil runs, what is not configured, and how to sign in. */
function printStarted(
  print: StartOptions['print'],
  s: {
    publicUrl: string;
    db: Db;
    smtpListen: string | undefined;
    oidcIssuer: string | undefined;
    mailConfigured: boolean;
    first: FirstAdmin;
    checkpointDir: string;
  },
): void {
  const { publicUrl, db, first } = s;
  print(`Vigil ${VERSION} is running at ${publicUrl}`);
  print(`  database: ${db.describe} (${db.dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL'})`);
  print(`  API docs: ${publicUrl}/api/docs`);
  print(`  audit checkpoints: ${s.checkpointDir}`);
  if (s.smtpListen) print(`  SMTP intake: listening on ${s.smtpListen}`);
  if (s.oidcIssuer) print(`  single sign-on: OpenID Connect at ${s.oidcIssuer}`);
  if (!s.mailConfigured)
    print('  mail: not configured (set VIGIL_SMTP_URL); notifications wait in the job queue');
  if (first.created) {
    print(`First admin created: ${first.email}`);
    print(`Sign in once with this link (valid until ${first.expiresAt}; it is shown only now):`);
    print(`  ${first.signInLink}`);
  } else {
    print(
      `Sign in at ${publicUrl}/sign-in  (lost access? \`vigil user link --email EMAIL\` prints a new one-time link)`,
    );
  }
}

/** A started instance; `stop` closes it all in order. */
export interface RunningVigil {
  stop(): Promise<void>;
}

/** Starts an instance (database, first admin, HTTP, jobs, SMTP intake); `stop` closes it all in order. */
export async function startVigil(config: Config, options: StartOptions): Promise<RunningVigil> {
  const port = await resolvePort(config.host, config.port);
  const publicUrl = process.env.VIGIL_PUBLIC_URL
    ? config.publicUrl
    : `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  // A half or bad single sign-on configuration stops the start before anything is opened.
  const oidc = oidcSettingsFromEnv(process.env);
  const logger = createLogger(config.logLevel);
  const clock = systemClock;
  const { db, keyring, auditKeys } = await openStorage(config, logger, clock);
  const mailSettings = mailSettingsFromEnv(process.env, publicUrl);
  const repositoriesDir = join(config.dataDir, 'repositories');
  const services = createServices({
    db,
    clock,
    cipher: keyring,
    publicUrl,
    repositoriesDir,
    securityContact: config.securityContact,
    replyDomain: mailSettings.replyDomain,
    cnaOrgId: process.env.VIGIL_CNA_ORG_ID || undefined,
    allowLocalWebhooks: allowLocalWebhooks(),
    oidc,
    proofOfWorkBits: config.proofOfWorkBits,
    mailConfigured: Boolean(mailSettings.smtpUrl),
  });
  const first = await services.users.ensureFirstAdmin(
    { kind: 'operator', name: 'vigil serve' },
    options.adminEmail,
  );

  const mailer = createMailer({ ...mailSettings, clock, logger });
  // Signed checkpoints of the audit chain, outside the database: now, whenever it moved, and at stop.
  // Before serving: a checkpoint directory or a witness that does not work stops the start.
  const checkpointer = createCheckpointer({
    db,
    keys: auditKeys,
    dir: config.auditCheckpointDir,
    clock,
    logger,
    intervalMs: config.auditCheckpointSeconds * 1000,
    onCheckpoint: auditWitnesses(
      { email: config.auditWitnessEmail, url: config.auditWitnessUrl, allowLocal: allowLocalWebhooks() },
      mailer,
    ),
  });
  await checkpointer.start();

  const app = await buildApp({
    db,
    services,
    publicUrl,
    trustProxy: config.trustProxy,
    logger,
    metrics: { jobsByState: () => countJobsByState(db) },
  });
  await app.listen({ host: config.host, port });
  // Where the CLI's sign-in links should point (`vigil user add` and `user link` read it).
  try {
    writeServerAddress(config.dataDir, {
      url: publicUrl,
      pid: process.pid,
      startedAt: clock.now().toISOString(),
    });
  } catch (err) {
    logger.warn({ err: String(err) }, 'could not record the server address in the data directory');
  }

  const runner = await startJobs({
    db,
    clock,
    logger,
    keyring,
    mailer,
    services,
    repositoriesDir,
    publicUrl,
  });
  const smtp = config.smtpListen ? await startSmtpIntake(config.smtpListen, db, services, logger) : undefined;
  printStarted(options.print, {
    publicUrl,
    db,
    smtpListen: smtp ? config.smtpListen : undefined,
    oidcIssuer: oidc?.issuer,
    mailConfigured: mailer.configured,
    first,
    checkpointDir: config.auditCheckpointDir,
  });

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await smtp?.close();
      await app.close();
      removeServerAddress(config.dataDir);
      await runner.stop();
      await checkpointer.stop();
      mailer.close();
      await db.close();
    })());
  return { stop };
}
