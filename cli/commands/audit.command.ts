import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { verifyCheckpoints, type CheckpointVerification } from '../../src/audit/audit.checkpoints.js';
import { auditKeys } from '../../src/audit/audit.key.js';
import { verifyAuditChain } from '../../src/audit/audit.log.js';
import { CliError, withDataOption, type Cli } from '../context.js';

export function registerAuditCommand(program: Command, cli: Cli): void {
  const audit = program.command('audit').description('the keyed, hash-chained audit log');
  withDataOption(
    audit
      .command('verify')
      .description(
        'check that no audit event was altered, removed or reordered, and that the log matches its signed checkpoints',
      ),
  )
    .option(
      '--checkpoints <dir>',
      'the directory of signed checkpoints to check the log against (default: VIGIL_AUDIT_CHECKPOINT_DIR, when it exists)',
    )
    .option('--json', 'print the result as JSON')
    .action(async (opts: { data?: string; checkpoints?: string; json?: boolean }) => {
      // Verification reads; it never re-seals a legacy chain (`vigil migrate` or `vigil serve` does).
      await cli.withDb(
        opts,
        async (db, config) => {
          const keys = auditKeys();
          const chain = await verifyAuditChain(db, { keys });
          const dir = opts.checkpoints ? resolve(opts.checkpoints) : config.auditCheckpointDir;
          if (opts.checkpoints && !existsSync(dir)) {
            throw new CliError(`The checkpoint directory ${dir} does not exist.`, 1);
          }
          const checkpoints = existsSync(dir) ? await verifyCheckpoints(db, dir, keys) : undefined;
          const noCheckpointsGiven = Boolean(opts.checkpoints) && checkpoints?.checked === 0;
          const ok = chain.ok && (checkpoints?.ok ?? true) && !noCheckpointsGiven;
          cli.output(
            opts.json,
            { ...chain, ok, chainOk: chain.ok, keyId: keys.keyId, checkpoints: checkpoints ?? null },
            () =>
              [
                chain.ok
                  ? `Audit log intact: ${chain.events} events, head ${chain.headHash.slice(0, 16)}... (keyed, audit key ${keys.keyId})`
                  : `Audit log BROKEN at event #${chain.brokenAtSeq}${chain.brokenEventId ? ` (${chain.brokenEventId})` : ''}: ${chain.reason}`,
                ...checkpointLines(dir, checkpoints, noCheckpointsGiven),
              ].join('\n'),
          );
          if (!ok) throw new CliError('audit verification failed', 1);
        },
        { sealAudit: false },
      );
    });
}

function checkpointLines(
  dir: string,
  result: CheckpointVerification | undefined,
  noCheckpointsGiven: boolean,
): string[] {
  if (!result) {
    return [
      `No checkpoints checked: ${dir} does not exist. Without checkpoints, removing the newest events or ` +
        'wiping the log cannot be detected (give --checkpoints DIR).',
    ];
  }
  if (result.checked === 0) {
    return [
      noCheckpointsGiven
        ? `Checkpoints FAILED: ${dir} holds no checkpoint.`
        : `No checkpoints in ${dir} yet.`,
    ];
  }
  if (result.ok) {
    return [
      `Checkpoints: ${result.checked} checked in ${dir}, the newest at event #${result.newestSeq ?? 0}: all match the log.`,
    ];
  }
  return [
    `Checkpoints FAILED: ${result.failures.length} of ${result.checked} in ${dir} do not match the log:`,
    ...result.failures.map((f) => `  ${f.file}: ${f.reason}`),
  ];
}
