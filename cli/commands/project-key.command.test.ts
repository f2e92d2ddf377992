import { randomBytes } from 'node:crypto';
import { Command } from 'commander';
import * as openpgp from 'openpgp';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDb } from '../../test/support/db.js';
import type { Principal } from '../../src/authz/authz.policy.js';
import { fixedClock } from '../../src/lib/clock.js';
import { createKeyring } from '../../src/lib/crypto/keyring.js';
import { AppError } from '../../src/lib/errors.js';
import { createPgpService } from '../../src/modules/pgp/pgp.service.js';
import { createProjectsService } from '../../src/modules/projects/projects.service.js';
import { CliError } from '../context.js';
import { registerProjectKeyCommand } from './project-key.command.js';

const OPERATOR: Principal = { kind: 'operator', name: 'root' };

describeEachDb('vigil project key', (get) => {
  const slug = `cli-${randomBytes(3).toString('hex')}`;
  const files = new Map<string, string>();
  let deps: Parameters<typeof createPgpService>[0];

  beforeAll(async () => {
    const clock = fixedClock('2026-03-02T09:00:00Z');
    deps = {
      db: get().db,
      clock,
      cipher: createKeyring({ current: randomBytes(32) }),
      publicUrl: 'https://vigil.example',
    };
    await createProjectsService(deps).createProject(OPERATOR, { slug, name: 'CLI Demo', preset: 'contour' });
  });

  /** Runs `vigil project key ...args` on this suite's database and returns what it printed. */
  async function run(args: string[], env: Record<string, string> = {}): Promise<string> {
    const printed: string[] = [];
    const program = new Command('vigil').exitOverride();
    registerProjectKeyCommand(program, {
      out: (text) => printed.push(text),
      readFile: (path) => {
        const text = files.get(path);
        if (text === undefined) throw new Error('ENOENT');
        return text;
      },
      env,
      withPgp: (_opts, fn) => fn(createPgpService(deps), OPERATOR),
    });
    await program.parseAsync(['project', 'key', ...args], { from: 'user' });
    return printed.join('\n');
  }

  it('show prints the fingerprint and never the private key; --armor prints the public key', async () => {
    const text = await run(['show', slug]);
    expect(text).toMatch(new RegExp(`^Project ${slug}: key [0-9A-F]{40} \\(ed25519/cv25519\\)\\n`));
    expect(text).toContain('  user ID:   CLI Demo Security Team <cncf-contour-maintainers@lists.cncf.io>');
    expect(text).toContain(`  published: https://vigil.example/p/${slug}/pgp-key.asc`);
    const armored = await run(['show', slug, '--armor']);
    expect(armored.startsWith('-----BEGIN PGP PUBLIC KEY BLOCK-----')).toBe(true);
    const json = JSON.parse(await run(['show', slug, '--json'])) as { fingerprint: string };
    expect(text).toContain(json.fingerprint);
    expect(`${text}${armored}`).not.toContain('PRIVATE');
  });

  it('generate rotates, and show lists the retired key', async () => {
    const before = (JSON.parse(await run(['show', slug, '--json'])) as { fingerprint: string }).fingerprint;
    const generated = await run(['generate', slug]);
    expect(generated).toMatch(/^Generated a new key\.\nProject /);
    expect(generated).not.toContain(before);
    expect(await run(['show', slug])).toContain(`  retired:   ${before} (retired `);
  });

  it('import reads the key from a file and the passphrase from the environment or a file', async () => {
    const { privateKey } = await openpgp.generateKey({
      type: 'ecc',
      curve: 'curve25519Legacy',
      userIDs: [{ name: 'Imported', email: 'imported@example.org' }],
      passphrase: 'from a file',
      format: 'armored',
    });
    files.set('key.asc', privateKey);
    files.set('pass.txt', 'from a file\n');
    const missing = await run(['import', slug, '--file', 'key.asc']).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(AppError);
    expect((missing as AppError).message).toBe('The private key is protected by a passphrase: give it too.');
    await expect(
      run(['import', slug, '--file', 'key.asc'], { VIGIL_KEY_PASSPHRASE: 'wrong' }),
    ).rejects.toThrow('The passphrase does not unlock this private key.');
    const imported = await run(['import', slug, '--file', 'key.asc', '--passphrase-file', 'pass.txt']);
    expect(imported).toContain('  user ID:   Imported <imported@example.org>');
    const unreadable = await run(['import', slug, '--file', 'nope.asc']).catch((e: unknown) => e);
    expect(unreadable).toBeInstanceOf(CliError);
    expect((unreadable as CliError).message).toBe('--file: cannot read "nope.asc".');
  });

  it('an unknown project fails with its name', async () => {
    await expect(run(['show', 'no-such-project'])).rejects.toThrow(
      "Project 'no-such-project' was not found.",
    );
  });
});
