/**
 * Starts a Vigil instance: opens and migrates the database, loads the encryption keyring, creates
 * the first admin on an empty instance (printing a one-time sign-in link, never a password),
 * serves HTTP and runs the job runner until SIGINT/SIGTERM.
 */
import { createServer } from 'node:net';
import { openDb } from '../db/connection.js';
import { migrateToLatest } from '../db/migrate.js';
import { countJobsByState } from '../jobs/job.queue.js';
import { createJobRunner } from '../jobs/job.runner.js';
import { systemClock } from '../lib/clock.js';
import type { Config } from '../lib/config.js';
import { loadKeyring } from '../lib/crypto/index.js';
import { instanceSecret } from '../lib/instance-secrets.js';
import { createLogger } from '../lib/logger.js';
import { createMailer, mailSettingsFromEnv } from '../mail/outbound/index.js';
import { caseMailHandlers } from '../modules/cases/case-mail.job.js';
import { PRUNE_JOB, pruneJobHandler, schedulePrune } from '../modules/maintenance/prune.job.js';
import { buildApp, VERSION } from './app.js';
import { createServices } from './services.js';

export interface StartOptions {
  /** Email of the first admin, created only on an empty instance. */
  adminEmail: string;
  print: (line: string) => void;
}

/** Resolves port 0 to a free port up front, so that links printed and mailed name the real port. */
async function resolvePort(host: string, port: number): Promise<number> {
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

export async function startVigil(config: Config, options: StartOptions): Promise<{ stop(): Promise<void> }> {
  const port = await resolvePort(config.host, config.port);
  const publicUrl = process.env.VIGIL_PUBLIC_URL
    ? config.publicUrl
    : `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  const logger = createLogger(config.logLevel);
  const db = openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const applied = await migrateToLatest(db);
  if (applied.length > 0) logger.info({ applied }, 'database migrated');
  const keyring = loadKeyring({
    dataDir: config.dataDir,
    masterKey: config.masterKey,
    previousMasterKey: config.previousMasterKey,
  });
  const clock = systemClock;
  const services = createServices({ db, clock, cipher: keyring, publicUrl });
  const first = await services.accounts.ensureFirstAdmin(
    { kind: 'operator', name: 'vigil serve' },
    options.adminEmail,
  );

  const app = await buildApp({
    db,
    services,
    publicUrl,
    trustProxy: config.trustProxy,
    logger,
    metrics: { jobsByState: () => countJobsByState(db) },
  });
  await app.listen({ host: config.host, port });

  const mailer = createMailer({ ...mailSettingsFromEnv(process.env, publicUrl), clock, logger });
  let replySecret: Promise<Buffer> | undefined;
  // Without SMTP the mail jobs are not claimed here: they wait in the queue (vigil_jobs{state="pending"})
  // until an instance with mail configured runs them, instead of failing after their retries.
  const handlers = {
    [PRUNE_JOB]: pruneJobHandler(db),
    ...(mailer.configured
      ? caseMailHandlers({
          db,
          cipher: keyring,
          mailer,
          replySecret: () => (replySecret ??= instanceSecret(db, keyring, clock, 'mail.reply')),
          repliesByMail: process.env.VIGIL_MAIL_REPLIES === 'true' || Boolean(process.env.VIGIL_SMTP_LISTEN),
        })
      : {}),
  };
  const runner = createJobRunner({ db, clock, logger, handlers });
  await schedulePrune(db, clock);
  runner.start();

  const print = options.print;
  print(`Vigil ${VERSION} is running at ${publicUrl}`);
  print(`  database: ${db.describe} (${db.dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL'})`);
  print(`  API docs: ${publicUrl}/api/docs`);
  if (!mailer.configured)
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

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await app.close();
      await runner.stop();
      mailer.close();
      await db.close();
    })());
  return { stop };
}
