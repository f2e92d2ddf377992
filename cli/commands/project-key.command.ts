/**
 * `vigil project key show|generate|import SLUG`: a project's OpenPGP key, through the same pgp
 * service as the API. The private key never leaves: show prints the fingerprint (and, with
 * --armor, the public key); import reads the private key from a file or stdin and the passphrase
 * from VIGIL_KEY_PASSPHRASE or a file, never from the command line (other users can read it).
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { Principal } from '../../src/authz/authz.policy.js';
import { systemClock } from '../../src/lib/clock.js';
import { loadKeyring } from '../../src/lib/crypto/keyring.js';
import {
  createPgpService,
  type PgpService,
  type ProjectKeyDetail,
  type ProjectKeyInfo,
} from '../../src/modules/pgp/pgp.service.js';
import { slugSchema } from '../../src/modules/projects/projects.schemas.js';
import { CliError, operatorActor, withDataOption, type Cli } from '../context.js';
import { parseInput } from '../parse.js';

export interface ProjectKeyIo {
  out: (text: string) => void;
  /** Reads a file; `-` is stdin. */
  readFile: (path: string) => string;
  env: Record<string, string | undefined>;
  /** Runs `fn` with the pgp service on the configured database, as the operator. */
  withPgp: <T>(
    opts: { data?: string },
    fn: (pgp: PgpService, principal: Principal) => Promise<T>,
  ) => Promise<T>;
}

/**
 * The key commands' io on one CLI run: its output, environment and database. `--file -` reads the
 * process's standard input.
 */
export function projectKeyIo(cli: Cli): ProjectKeyIo {
  return {
    out: cli.out,
    readFile: (path) => readFileSync(path === '-' ? 0 : path, 'utf8'),
    env: cli.env,
    withPgp: (opts, fn) =>
      cli.withDb(opts, (db, config) => {
        const cipher = loadKeyring({
          dataDir: config.dataDir,
          masterKey: config.masterKey,
          previousMasterKey: config.previousMasterKey,
        });
        const pgp = createPgpService({ db, clock: systemClock, cipher, publicUrl: config.publicUrl });
        return fn(pgp, { kind: 'operator', name: operatorActor().id });
      }),
  };
}

/** The key as a few lines for a terminal. */
export function formatKey(slug: string, key: ProjectKeyInfo | ProjectKeyDetail): string {
  const lines = [
    `Project ${slug}: key ${key.fingerprint} (${key.algorithm})`,
    `  user ID:   ${key.userId}`,
    `  created:   ${key.createdAt}`,
    `  expires:   ${key.expiresAt ?? 'never'}`,
    `  published: ${key.publicKeyUrl}`,
  ];
  if ('previous' in key) {
    for (const p of key.previous)
      lines.push(`  retired:   ${p.fingerprint} (retired ${p.retiredAt}; still decrypts)`);
  }
  return lines.join('\n');
}

/** Registers `vigil project key ...` under the `project` command (created if absent). */
export function registerProjectKeyCommand(program: Command, io: ProjectKeyIo): void {
  const project =
    program.commands.find((c) => c.name() === 'project') ??
    program.command('project').description('manage projects');
  const key = project
    .command('key')
    .description('the project’s OpenPGP key (published, used to decrypt mail)');
  const slugOf = (arg: string) => parseInput(slugSchema, arg, 'slug');

  withDataOption(key.command('show <slug>').description('show the key’s fingerprint, dates and retired keys'))
    .option('--armor', 'print the armored public key instead')
    .option('--json', 'print the result as JSON')
    .action(async (slugArg: string, opts: { data?: string; json?: boolean; armor?: boolean }) => {
      const slug = slugOf(slugArg);
      await io.withPgp(opts, async (pgp, principal) => {
        const detail = await pgp.getProjectKey(principal, slug);
        if (opts.armor) io.out((await pgp.getPublicKey(slug)).armored.trimEnd());
        else io.out(opts.json ? JSON.stringify(detail, null, 2) : formatKey(slug, detail));
      });
    });

  withDataOption(
    key
      .command('generate <slug>')
      .description('generate a new key pair; the current key is retired (it still decrypts)'),
  )
    .option('--json', 'print the result as JSON')
    .action(async (slugArg: string, opts: { data?: string; json?: boolean }) => {
      const slug = slugOf(slugArg);
      await io.withPgp(opts, async (pgp, principal) => {
        const created = await pgp.generateProjectKey(principal, slug);
        io.out(
          opts.json ? JSON.stringify(created, null, 2) : `Generated a new key.\n${formatKey(slug, created)}`,
        );
      });
    });

  withDataOption(
    key
      .command('import <slug>')
      .description(
        'import an armored private key as the project key (passphrase from VIGIL_KEY_PASSPHRASE or --passphrase-file)',
      ),
  )
    .requiredOption('--file <path>', 'the armored private key, or - for stdin')
    .option('--passphrase-file <path>', 'a file holding the key’s passphrase')
    .option('--json', 'print the result as JSON')
    .action(
      async (
        slugArg: string,
        opts: { data?: string; json?: boolean; file: string; passphraseFile?: string },
      ) => {
        const slug = slugOf(slugArg);
        const armored = readOrFail(io, opts.file, '--file');
        const passphrase = opts.passphraseFile
          ? readOrFail(io, opts.passphraseFile, '--passphrase-file').replace(/\r?\n$/, '')
          : io.env.VIGIL_KEY_PASSPHRASE || undefined;
        await io.withPgp(opts, async (pgp, principal) => {
          const imported = await pgp.importProjectKey(principal, slug, armored, passphrase);
          io.out(
            opts.json ? JSON.stringify(imported, null, 2) : `Imported the key.\n${formatKey(slug, imported)}`,
          );
        });
      },
    );
}

function readOrFail(io: ProjectKeyIo, path: string, option: string): string {
  try {
    return io.readFile(path);
  } catch {
    throw new CliError(`${option}: cannot read "${path}".`, 2);
  }
}
