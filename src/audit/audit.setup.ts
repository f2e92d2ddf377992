/**
 * Opening the audit log where a process opens its database (`vigil serve`, every CLI command that
 * opens the database): load the audit key and set it for `appendAuditEvent`, then, once the schema
 * is up to date, re-seal a legacy (unkeyed) chain under the key. A checkpoint directory that already
 * holds checkpoints of this key forbids the re-seal (a keyed log was replaced by an unkeyed one).
 */
import type { Db } from '../db/connection.js';
import type { Clock } from '../lib/clock.js';
import type { Config } from '../lib/config.js';
import { existingCheckpoints } from './audit.checkpoints.js';
import { loadAuditKeys, setAuditKey, type AuditKeys } from './audit.key.js';
import { sealLegacyAuditChain } from './audit.log.js';

export type AuditConfig = Pick<Config, 'dataDir' | 'auditKey' | 'auditCheckpointDir'>;

export interface OpenedAuditLog {
  keys: AuditKeys;
  /** Legacy events re-sealed under the key now (0 when there were none). */
  sealed: number;
  /** Puts back the audit key the process had before (a CLI run inside a test's process). */
  restore(): void;
}

/** Loads and sets the audit key; with `seal` (the schema is current), re-seals a legacy chain. */
export async function openAuditLog(
  db: Db,
  config: AuditConfig,
  clock: Clock,
  { seal = true }: { seal?: boolean } = {},
): Promise<OpenedAuditLog> {
  const keys = loadAuditKeys({ dataDir: config.dataDir, auditKey: config.auditKey });
  const restore = setAuditKey(keys);
  try {
    const sealed = seal ? await sealAuditLog(db, config, clock, keys) : 0;
    return { keys, sealed, restore };
  } catch (err) {
    restore();
    throw err;
  }
}

/** Re-seals a legacy chain under `keys` (already set), unless checkpoints show a keyed history. */
export function sealAuditLog(db: Db, config: AuditConfig, clock: Clock, keys: AuditKeys): Promise<number> {
  return sealLegacyAuditChain(db, clock, {
    signedCheckpoints: existingCheckpoints(config.auditCheckpointDir, keys).length,
  });
}
