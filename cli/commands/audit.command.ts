import type { Command } from 'commander';
import { verifyAuditChain } from '../../src/audit/audit.log.js';
import { CliError, withDataOption, type Cli } from '../context.js';

export function registerAuditCommand(program: Command, cli: Cli): void {
  const audit = program.command('audit').description('the hash-chained audit log');
  withDataOption(
    audit.command('verify').description('check that no audit event was altered, removed or reordered'),
  )
    .option('--json', 'print the result as JSON')
    .action(async (opts: { data?: string; json?: boolean }) => {
      await cli.withDb(opts, async (db) => {
        const result = await verifyAuditChain(db);
        cli.output(opts.json, result, () =>
          result.ok
            ? `Audit log intact: ${result.events} events, head ${result.headHash.slice(0, 16)}...`
            : `Audit log BROKEN at event #${result.brokenAtSeq}${result.brokenEventId ? ` (${result.brokenEventId})` : ''}: ${result.reason}`,
        );
        if (!result.ok) throw new CliError('audit verification failed', 1);
      });
    });
}
