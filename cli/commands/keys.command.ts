/**
 * `vigil keys`: the master key that encrypts data at rest. `status` says where the key comes from
 * and which key encrypts what (key ids only, never a key); `rotate` moves everything to a new key.
 */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import type { Actor } from '../../src/audit/audit.events.js';
import type { Db } from '../../src/db/connection.js';
import { systemClock, type Clock } from '../../src/lib/clock.js';
import type { Config } from '../../src/lib/config.js';
import { keyFilePath, loadKeyring, type KeySource } from '../../src/lib/crypto/keyring.js';
import {
  rotateMasterKey,
  scanKeyUsage,
  type KeyUsage,
  type MasterKeyRotation,
} from '../../src/modules/keys/key-rotation.service.js';
import { operatorActor, withDataOption, type Cli } from '../context.js';

type KeyConfig = Pick<Config, 'dataDir' | 'masterKey' | 'previousMasterKey'>;

export interface KeysStatus {
  source: KeySource | 'none';
  keyFile: string | null;
  currentKeyId: string | null;
  /** Keys kept only to decrypt: during a rotation. */
  previousKeyIds: string[];
  /** Stored values per field and key; `readable` is false for a key this keyring lacks. */
  values: (KeyUsage & { readable: boolean })[];
}

/** Where the master key comes from and which key encrypts how many values. */
export async function runKeysStatus(db: Db, config: KeyConfig): Promise<KeysStatus> {
  const usage = await scanKeyUsage(db);
  if (!config.masterKey && !existsSync(keyFilePath(config.dataDir))) {
    return {
      source: 'none',
      keyFile: null,
      currentKeyId: null,
      previousKeyIds: [],
      values: readable(usage, []),
    };
  }
  const keyring = loadKeyring({ ...config, create: false });
  return {
    source: keyring.source,
    keyFile: keyring.keyFile ?? null,
    currentKeyId: keyring.currentKeyId,
    previousKeyIds: keyring.keyIds.filter((id) => id !== keyring.currentKeyId),
    values: readable(usage, keyring.keyIds),
  };
}

function readable(usage: KeyUsage[], keyIds: readonly string[]): KeysStatus['values'] {
  return usage.map((u) => ({ ...u, readable: u.keyId !== null && keyIds.includes(u.keyId) }));
}

/** The text form of `vigil keys status`. */
export function formatKeysStatus(status: KeysStatus): string {
  const lines: string[] = [];
  if (status.source === 'none') {
    lines.push(
      'Master key: none yet (Vigil creates the key file on its first start, or set VIGIL_MASTER_KEY).',
    );
  } else {
    lines.push(
      `Master key: ${status.source === 'env' ? 'VIGIL_MASTER_KEY' : `key file ${status.keyFile ?? ''}`}`,
      `Current key id: ${status.currentKeyId ?? ''}`,
    );
    for (const id of status.previousKeyIds) {
      const hint =
        status.source === 'file'
          ? 'a rotation was interrupted: run `vigil keys rotate` to finish it'
          : 'remove VIGIL_MASTER_KEY_PREVIOUS once `vigil keys rotate` has run';
      lines.push(`Previous key id: ${id} (${hint})`);
    }
  }
  lines.push(status.values.length === 0 ? 'Encrypted values: none stored yet.' : 'Encrypted values:');
  for (const v of status.values) {
    const key = v.keyId === null ? 'not an encrypted envelope' : `key ${v.keyId}`;
    lines.push(`  ${v.field}: ${v.values} under ${key}${v.readable ? '' : '  (NOT in the keyring)'}`);
  }
  return lines.join('\n');
}

/** Rotates the master key where it lives (key file or VIGIL_MASTER_KEY) and re-encrypts everything. */
export function runKeysRotate(
  db: Db,
  config: KeyConfig,
  actor: Actor,
  clock: Clock,
): Promise<MasterKeyRotation> {
  return rotateMasterKey(db, config, actor, clock);
}

/** The text form of `vigil keys rotate`. */
export function formatKeysRotation(result: MasterKeyRotation, keyFile: string): string {
  const lines = [
    `${result.resumed ? 'Finished the interrupted rotation: re-encrypted' : 'Re-encrypted'} ${result.reencrypted} ` +
      `value(s) from key ${result.fromKeyId} to key ${result.toKeyId}` +
      (result.alreadyCurrent > 0 ? ` (${result.alreadyCurrent} already under the new key).` : '.'),
  ];
  for (const f of result.fields) lines.push(`  ${f.field}: ${f.reencrypted}`);
  lines.push(
    result.source === 'file'
      ? `The key file ${keyFile} now holds only key ${result.toKeyId}: back it up, and restart running instances.`
      : 'Remove VIGIL_MASTER_KEY_PREVIOUS from every instance and restart them with the new VIGIL_MASTER_KEY.',
  );
  return lines.join('\n');
}

export function registerKeysCommand(program: Command, cli: Cli): void {
  const keys = program.command('keys').description('the master key that encrypts data at rest');
  withDataOption(
    keys.command('status').description('where the master key comes from, and key ids (never the key)'),
  )
    .option('--json', 'print the result as JSON')
    .action(async (opts: { data?: string; json?: boolean }) => {
      await cli.withDb(opts, async (db, config) => {
        const status = await runKeysStatus(db, config);
        cli.output(opts.json, status, () => formatKeysStatus(status));
      });
    });
  withDataOption(
    keys
      .command('rotate')
      .description(
        'move every encrypted value to a new master key. Run it with Vigil stopped (or restart every ' +
          'instance afterwards). Key file: a new key is generated. VIGIL_MASTER_KEY: set it to the new key ' +
          'and VIGIL_MASTER_KEY_PREVIOUS to the old one first.',
      ),
  )
    .option('--json', 'print the result as JSON')
    .action(async (opts: { data?: string; json?: boolean }) => {
      await cli.withDb(opts, async (db, config) => {
        const result = await runKeysRotate(db, config, operatorActor(), systemClock);
        cli.output(opts.json, result, () => formatKeysRotation(result, keyFilePath(config.dataDir)));
      });
    });
}
