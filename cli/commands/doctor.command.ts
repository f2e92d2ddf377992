/**
 * `vigil doctor [--json]`: checks the setup and says what to fix (issue 13, item 3). One line per
 * check (ok, warn or fail); the exit code is 1 when any check fails. Read-only: it migrates nothing,
 * creates no key and no database, and sends no mail (it asks the SMTP server to greet it).
 *
 * Checks: the public URL, SMTP (configured, and the server answers), the master key (present,
 * well-formed, opens the instance's secrets), the database (reachable, migrations current), free
 * disk space in the data directory, and the job runner (a heartbeat from a running `vigil serve`).
 */
import { existsSync, statfsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import type { Db } from '../../src/db/connection.js';
import { loadConfig, type Config } from '../../src/lib/config.js';
import { withDataOption, type Cli } from '../context.js';

export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface DoctorCheck {
  /** public-url | smtp | master-key | database | disk | job-runner */
  name: string;
  status: CheckStatus;
  /** What was found. */
  message: string;
  /** What to do about it; null when nothing. */
  fix: string | null;
}

export interface DoctorReport {
  ok: boolean;
  checks: DoctorCheck[];
}

/** A heartbeat older than this means no job runner is alive (runners beat every 30 s). */
export const RUNNER_STALE_MS = 3 * 60_000;
/** How long the SMTP server and the database get to answer. */
const ANSWER_TIMEOUT_MS = 10_000;
const MB = 1024 * 1024;
const DISK_FAIL_BYTES = 100 * MB;
const DISK_WARN_BYTES = 1024 * MB;
const DISK_WARN_FRACTION = 0.1;

const check = (
  name: string,
  status: CheckStatus,
  message: string,
  fix: string | null = null,
): DoctorCheck => ({
  name,
  status,
  message,
  fix,
});

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`${what} did not answer within ${ANSWER_TIMEOUT_MS / 1000} s`)),
        ANSWER_TIMEOUT_MS,
      );
    }),
  ]);
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** VIGIL_PUBLIC_URL: set, an absolute http(s) URL without query or fragment, https unless local. */
export function checkPublicUrl(env: NodeJS.ProcessEnv): DoctorCheck {
  const raw = env.VIGIL_PUBLIC_URL;
  if (!raw) {
    return check(
      'public-url',
      'warn',
      'VIGIL_PUBLIC_URL is not set: links in mail and in the CLI use the listening address.',
      'Set VIGIL_PUBLIC_URL to the address people reach Vigil at, e.g. https://security.example.org.',
    );
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return check(
      'public-url',
      'fail',
      'VIGIL_PUBLIC_URL is not a URL.',
      'Set it like https://security.example.org.',
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return check(
      'public-url',
      'fail',
      `VIGIL_PUBLIC_URL uses ${url.protocol}, not http or https.`,
      'Use an https:// URL.',
    );
  }
  if (url.search || url.hash || url.username || url.password) {
    return check(
      'public-url',
      'fail',
      'VIGIL_PUBLIC_URL has a query, a fragment or credentials.',
      'Give the bare address, e.g. https://security.example.org.',
    );
  }
  if (url.protocol === 'http:' && !LOCAL_HOSTS.has(url.hostname) && !url.hostname.startsWith('127.')) {
    return check(
      'public-url',
      'warn',
      `VIGIL_PUBLIC_URL is ${url.origin}: plain http on a non-local host, so sign-in links and cookies travel in clear.`,
      'Serve Vigil behind TLS and set VIGIL_PUBLIC_URL to its https:// address.',
    );
  }
  return check('public-url', 'ok', `Links use ${raw.replace(/\/+$/, '')}.`);
}

/** VIGIL_SMTP_URL: set, well-formed, and the server answers (EHLO, STARTTLS and login when given). */
export async function checkSmtp(
  env: NodeJS.ProcessEnv,
  publicUrl: string,
  waiting: string,
): Promise<DoctorCheck> {
  if (!env.VIGIL_SMTP_URL) {
    return check(
      'smtp',
      'fail',
      `Mail is not configured: nothing is sent.${waiting}`,
      'Set VIGIL_SMTP_URL (smtp://user:pass@host:587 or smtps://...:465) and restart vigil serve.',
    );
  }
  const { createMailer, mailSettingsFromEnv } = await import('../../src/mail/outbound/mailer.js');
  let mailer;
  try {
    mailer = createMailer(mailSettingsFromEnv(env, publicUrl));
  } catch (err) {
    return check(
      'smtp',
      'fail',
      `The mail settings are wrong: ${message(err)}`,
      'Correct VIGIL_SMTP_URL or VIGIL_MAIL_FROM.',
    );
  }
  try {
    await withTimeout(mailer.verify(), 'The SMTP server');
    return check('smtp', 'ok', `The SMTP server answers and accepts the login.${waiting}`);
  } catch (err) {
    return check(
      'smtp',
      'fail',
      `The SMTP server cannot be used: ${message(err)}.${waiting}`,
      'Check the host, port, credentials and TLS options of VIGIL_SMTP_URL, and that this host may reach it.',
    );
  } finally {
    mailer.close();
  }
}

/** Free space where the data directory lives (its nearest existing parent when it is not made yet). */
export function checkDisk(dataDir: string): DoctorCheck {
  let dir = dataDir;
  while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
  let free: number;
  let total: number;
  try {
    const s = statfsSync(dir);
    free = s.bavail * s.bsize;
    total = s.blocks * s.bsize;
  } catch (err) {
    return check('disk', 'warn', `Could not read the free space of ${dir}: ${message(err)}`);
  }
  const shown = `${Math.floor(free / MB)} MB free of ${Math.floor(total / MB)} MB in ${dir}`;
  const fix = 'Free space on that file system or move the data directory (VIGIL_DATA_DIR) to a larger one.';
  if (free < DISK_FAIL_BYTES) return check('disk', 'fail', `${shown}: writes will fail soon.`, fix);
  if (free < DISK_WARN_BYTES || (total > 0 && free / total < DISK_WARN_FRACTION)) {
    return check('disk', 'warn', `${shown}: less than 1 GB or 10 %.`, fix);
  }
  return check('disk', 'ok', `${shown}.`);
}

/** The database's checks: reachable, migrations current, the master key opens its secrets, a runner alive. */
async function checkWithDatabase(
  config: Config,
  now: Date,
): Promise<{ checks: DoctorCheck[]; waiting: string }> {
  const databaseFix = config.databaseUrl
    ? 'Check DATABASE_URL, that PostgreSQL runs and that this host may reach it.'
    : `Start Vigil once (vigil serve --data ${config.dataDir}) or point --data/VIGIL_DATA_DIR at the data directory.`;
  const skipped = (name: string) =>
    check(name, 'fail', 'Not checked: the database cannot be read.', databaseFix);
  if (!config.databaseUrl && !existsSync(join(config.dataDir, 'vigil.sqlite'))) {
    const none = check('database', 'fail', `There is no database in ${config.dataDir}.`, databaseFix);
    return { checks: [none, await checkMasterKey(config, undefined), skipped('job-runner')], waiting: '' };
  }
  const { openDb } = await import('../../src/db/connection.js');
  let db: Db;
  try {
    db = openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 2 });
  } catch (err) {
    const bad = check('database', 'fail', `The database cannot be opened: ${message(err)}`, databaseFix);
    return { checks: [bad, await checkMasterKey(config, undefined), skipped('job-runner')], waiting: '' };
  }
  try {
    const database = await checkDatabase(db, databaseFix);
    if (database.status === 'fail' && database.message.startsWith('The database does not answer')) {
      return {
        checks: [database, await checkMasterKey(config, undefined), skipped('job-runner')],
        waiting: '',
      };
    }
    const { mailQueueCounts } = await import('../../src/modules/mail-queue/mail-queue.repo.js');
    const { MAIL_JOB_KINDS } = await import('../../src/modules/mail-queue/mail-job-kinds.js');
    const { MAIL_FAILED_WINDOW_MS } = await import('../../src/modules/mail-queue/mail-queue.service.js');
    let waiting = '';
    try {
      const counts = await mailQueueCounts(
        db.kysely,
        MAIL_JOB_KINDS,
        now.toISOString(),
        new Date(now.getTime() - MAIL_FAILED_WINDOW_MS).toISOString(),
      );
      waiting = ` ${counts.queued} mail(s) waiting, ${counts.failed} failed (the admins' Mail queue page lists them).`;
    } catch {
      // An old schema: the database check says so.
    }
    return {
      checks: [database, await checkMasterKey(config, db), await checkRunner(db, now)],
      waiting,
    };
  } finally {
    await db.close();
  }
}

async function checkDatabase(db: Db, fix: string): Promise<DoctorCheck> {
  const { sql } = await import('kysely');
  try {
    await withTimeout(sql`select 1`.execute(db.kysely), 'The database');
  } catch (err) {
    return check('database', 'fail', `The database does not answer (${db.describe}): ${message(err)}`, fix);
  }
  const [{ Migrator }, { allMigrations }] = await Promise.all([
    import('kysely/migration'),
    import('../../src/db/migrations/index.js'),
  ]);
  const migrator = new Migrator({
    db: db.kysely,
    provider: { getMigrations: async () => allMigrations(db.dialect) },
  });
  const pending = (await migrator.getMigrations()).filter((m) => m.executedAt === undefined);
  if (pending.length > 0) {
    return check(
      'database',
      'fail',
      `${pending.length} migration(s) not applied to ${db.describe} (first: ${pending[0]?.name ?? '?'}).`,
      'Run vigil migrate (vigil serve also migrates when it starts).',
    );
  }
  return check('database', 'ok', `${db.describe} answers; its schema is current.`);
}

/** The master key: from VIGIL_MASTER_KEY or the key file, 32 bytes, and it opens the instance secrets. */
async function checkMasterKey(config: Config, db: Db | undefined): Promise<DoctorCheck> {
  const { keyFilePath, loadKeyring } = await import('../../src/lib/crypto/keyring.js');
  let keyring;
  try {
    keyring = loadKeyring({
      dataDir: config.dataDir,
      masterKey: config.masterKey,
      previousMasterKey: config.previousMasterKey,
      create: false,
    });
  } catch (err) {
    return check(
      'master-key',
      'fail',
      message(err),
      `Set VIGIL_MASTER_KEY to the instance's key, or restore ${keyFilePath(config.dataDir)} from a backup.`,
    );
  }
  const from = keyring.source === 'env' ? 'VIGIL_MASTER_KEY' : (keyring.keyFile ?? 'the key file');
  if (!db)
    return check(
      'master-key',
      'ok',
      `Key ${keyring.currentKeyId} from ${from} is well-formed (not tried on the data).`,
    );
  const { fieldAad } = await import('../../src/lib/crypto/encrypted-fields.js');
  let secrets: { name: string; value_enc: string }[];
  try {
    secrets = await db.kysely
      .selectFrom('instance_secrets')
      .select(['name', 'value_enc'])
      .limit(20)
      .execute();
  } catch (err) {
    return check(
      'master-key',
      'warn',
      `Key ${keyring.currentKeyId} from ${from} is well-formed, but could not be tried on the data: ${message(err)}`,
      'Run vigil migrate, then vigil doctor again.',
    );
  }
  try {
    for (const s of secrets)
      keyring.decryptField(s.value_enc, fieldAad('instance_secrets', 'value_enc', s.name));
  } catch (err) {
    return check(
      'master-key',
      'fail',
      `Key ${keyring.currentKeyId} from ${from} does not open the instance's secrets: ${message(err)}`,
      'Use the key this database was encrypted with (VIGIL_MASTER_KEY, or the master.key file from a backup).',
    );
  }
  return check(
    'master-key',
    'ok',
    secrets.length > 0
      ? `Key ${keyring.currentKeyId} from ${from} opens the instance's secrets.`
      : `Key ${keyring.currentKeyId} from ${from} is well-formed; nothing is encrypted yet.`,
  );
}

/** A job runner is alive when its heartbeat (every 30 s) is recent. */
async function checkRunner(db: Db, now: Date): Promise<DoctorCheck> {
  const { listRunnerHeartbeats } = await import('../../src/jobs/job.runner.js');
  const fix = 'Start vigil serve (each instance runs jobs), or look at its log for why it stopped.';
  let beats;
  try {
    beats = await listRunnerHeartbeats(db);
  } catch (err) {
    return check(
      'job-runner',
      'fail',
      `Could not read the heartbeats: ${message(err)}`,
      'Run vigil migrate.',
    );
  }
  const newest = beats[0];
  if (!newest)
    return check(
      'job-runner',
      'fail',
      'No job runner has recorded a heartbeat: jobs (mail, reminders, publication) do not run.',
      fix,
    );
  const age = now.getTime() - Date.parse(newest.last_seen_at);
  const seconds = Math.max(0, Math.round(age / 1000));
  if (age > RUNNER_STALE_MS) {
    return check(
      'job-runner',
      'fail',
      `The newest job runner heartbeat is ${Math.round(seconds / 60)} minute(s) old (${newest.worker_id}): no runner is alive.`,
      fix,
    );
  }
  const alive = beats.filter((b) => now.getTime() - Date.parse(b.last_seen_at) <= RUNNER_STALE_MS).length;
  return check('job-runner', 'ok', `${alive} job runner(s) alive; the newest heartbeat is ${seconds} s old.`);
}

/** Runs every check. */
export async function runDoctor(
  env: NodeJS.ProcessEnv,
  data: string | undefined,
  now = new Date(),
): Promise<DoctorReport> {
  const config = loadConfig(env, { dataDir: data });
  const { checks: dbChecks, waiting } = await checkWithDatabase(config, now);
  const byName = new Map(dbChecks.map((c) => [c.name, c]));
  const checks = [
    checkPublicUrl(env),
    await checkSmtp(env, config.publicUrl, waiting),
    byName.get('master-key'),
    byName.get('database'),
    checkDisk(config.dataDir),
    byName.get('job-runner'),
  ].filter((c): c is DoctorCheck => c !== undefined);
  return { ok: checks.every((c) => c.status !== 'fail'), checks };
}

/** The human form: one line per check, and what to fix under it. */
export function formatDoctor(report: DoctorReport): string {
  const lines: string[] = [];
  for (const c of report.checks) {
    lines.push(`${c.status.padEnd(4)}  ${c.name.padEnd(10)}  ${c.message}`);
    if (c.fix && c.status !== 'ok') lines.push(`${' '.repeat(18)}fix: ${c.fix}`);
  }
  const failed = report.checks.filter((c) => c.status === 'fail').length;
  const warned = report.checks.filter((c) => c.status === 'warn').length;
  lines.push(
    failed > 0
      ? `${failed} check(s) failed${warned ? `, ${warned} warning(s)` : ''}.`
      : warned > 0
        ? `All checks passed, with ${warned} warning(s).`
        : 'All checks passed.',
  );
  return lines.join('\n');
}

export function registerDoctorCommand(program: Command, cli: Cli): void {
  withDataOption(
    program
      .command('doctor')
      .description(
        'check the setup (public URL, SMTP, master key, database, disk space, job runner) and say what to fix',
      ),
  )
    .option('--json', 'print the result as JSON')
    .action(async (opts: { data?: string; json?: boolean }) => {
      const report = await runDoctor(cli.env, opts.data);
      cli.output(opts.json, report, () => formatDoctor(report));
      if (!report.ok) cli.exitCode = 1;
    });
}
