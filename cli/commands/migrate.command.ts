import type { Command } from 'commander';
import { auditKeys } from '../../src/audit/audit.key.js';
import { sealAuditLog } from '../../src/audit/audit.setup.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { systemClock } from '../../src/lib/clock.js';
import { migrationContext, withDataOption, type Cli } from '../context.js';

export function registerMigrateCommand(program: Command, cli: Cli): void {
  withDataOption(program.command('migrate').description('bring the database schema up to date'))
    .option('--json', 'print the result as JSON')
    .action(async (opts: { data?: string; json?: boolean }) => {
      await cli.withDb(
        opts,
        async (db, config) => {
          const applied = await migrateToLatest(db, await migrationContext(config));
          // A chain from before the audit key is verified and re-sealed under it, once.
          const sealed = await sealAuditLog(db, config, systemClock, auditKeys());
          cli.output(opts.json, { database: db.describe, applied, auditEventsSealed: sealed }, () =>
            [
              ...applied.map((m) => `applied ${m}`),
              ...(sealed > 0 ? [`re-sealed ${sealed} audit events under the audit key`] : []),
              `Database ${db.describe} is up to date.`,
            ].join('\n'),
          );
        },
        { migrate: false },
      );
    });
}
