import type { Command } from 'commander';
import { migrateToLatest } from '../../src/db/migrate.js';
import { migrationContext, withDataOption, type Cli } from '../context.js';

export function registerMigrateCommand(program: Command, cli: Cli): void {
  withDataOption(program.command('migrate').description('bring the database schema up to date'))
    .option('--json', 'print the result as JSON')
    .action(async (opts: { data?: string; json?: boolean }) => {
      await cli.withDb(
        opts,
        async (db, config) => {
          const applied = await migrateToLatest(db, await migrationContext(config));
          cli.output(opts.json, { database: db.describe, applied }, () =>
            [...applied.map((m) => `applied ${m}`), `Database ${db.describe} is up to date.`].join('\n'),
          );
        },
        { migrate: false },
      );
    });
}
