import type { Command } from 'commander';
import { migrateToLatest } from '../../src/db/migrate.js';
import { output, withDataOption, withDb } from '../context.js';

export function registerMigrateCommand(program: Command): void {
  withDataOption(program.command('migrate').description('bring the database schema up to date'))
    .option('--json', 'print the result as JSON')
    .action(async (opts: { data?: string; json?: boolean }) => {
      await withDb(
        opts,
        async (db) => {
          const applied = await migrateToLatest(db);
          output(opts.json, { database: db.describe, applied }, () =>
            [...applied.map((m) => `applied ${m}`), `Database ${db.describe} is up to date.`].join('\n'),
          );
        },
        { migrate: false },
      );
    });
}
