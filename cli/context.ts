/**
 * What every operator command shares: opening the same database the server uses (`--data DIR`
 * or DATABASE_URL), printing data as text or `--json`, and failing with a clear message.
 */
import type { Command } from 'commander';
import { openDb, type Db } from '../src/db/connection.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { loadConfig, type Config } from '../src/lib/config.js';
import { AppError } from '../src/lib/errors.js';
import type { Actor } from '../src/audit/audit.events.js';
import { userInfo } from 'node:os';
import type { Principal } from '../src/authz/authz.policy.js';
import { systemClock } from '../src/lib/clock.js';
import { loadKeyring } from '../src/lib/crypto/keyring.js';
import { mailSettingsFromEnv } from '../src/mail/outbound/mailer.js';
import { createServices, type Services } from '../src/server/services.js';

/** Adds `--data DIR` to a command that acts on the database. */
export function withDataOption(cmd: Command): Command {
  return cmd.option(
    '--data <dir>',
    'data directory of the SQLite database (ignored when DATABASE_URL is set)',
  );
}

/** Opens the database (migrating it unless told not to), runs `fn`, and always closes it. */
export async function withDb<T>(
  opts: { data?: string | undefined },
  fn: (db: Db, config: Config) => Promise<T>,
  { migrate = true }: { migrate?: boolean } = {},
): Promise<T> {
  const config = loadConfig(process.env, { dataDir: opts.data });
  const db = openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    if (migrate) await migrateToLatest(db);
    return await fn(db, config);
  } finally {
    await db.close();
  }
}

/** Like withDb, with the same services the server uses, acting as the operator. */
export async function withServices<T>(
  opts: { data?: string | undefined },
  fn: (services: Services, principal: Principal, db: Db, config: Config) => Promise<T>,
): Promise<T> {
  return withDb(opts, (db, config) => {
    const keyring = loadKeyring({
      dataDir: config.dataDir,
      masterKey: config.masterKey,
      previousMasterKey: config.previousMasterKey,
    });
    const services = createServices({
      db,
      clock: systemClock,
      cipher: keyring,
      publicUrl: config.publicUrl,
      securityContact: config.securityContact,
      replyDomain: mailSettingsFromEnv(process.env, config.publicUrl).replyDomain,
      cnaOrgId: process.env.VIGIL_CNA_ORG_ID || undefined,
    });
    return fn(services, { kind: 'operator', name: operatorActor().id }, db, config);
  });
}

/** The actor recorded in the audit log for commands run from an operator's shell. */
export function operatorActor(): Actor {
  let name = 'operator';
  try {
    name = userInfo().username;
  } catch {
    // No passwd entry (some containers): keep the generic name.
  }
  return { type: 'operator', id: name };
}

/** Prints `value` as JSON when asked to, otherwise the human text. */
export function output(json: boolean | undefined, value: unknown, text: () => string): void {
  if (json) console.log(JSON.stringify(value, null, 2));
  else console.log(text());
}

/** A command-line failure: printed as `vigil: message` and exits with `exitCode`. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** Formats any error for a terminal, naming fields and lines when the error carries them. */
export function formatError(err: unknown): string {
  if (err instanceof AppError) {
    const lines = [err.message];
    for (const issue of err.issues) {
      lines.push(
        `  - ${issue.path || '(document)'}${issue.line ? ` (line ${issue.line})` : ''}: ${issue.message}`,
      );
    }
    return lines.join('\n');
  }
  return err instanceof Error ? err.message : String(err);
}
