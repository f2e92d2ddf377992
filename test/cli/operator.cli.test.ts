import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDb } from '../support/db.js';
import { runCommand } from '../support/cli.js';

describeEachDb('operator CLI', (get) => {
  // Point the command line at this suite's database: --data for SQLite, DATABASE_URL for PostgreSQL.
  let env: Record<string, string | undefined>;
  let dataArgs: string[];
  beforeAll(() => {
    const loc = get().location;
    env = { DATABASE_URL: loc.databaseUrl ?? '', VIGIL_MASTER_KEY: Buffer.alloc(32, 7).toString('base64') };
    dataArgs = loc.dataDir ? ['--data', loc.dataDir] : [];
  });
  afterAll(() => undefined);

  const vigil = (...args: string[]) => runCommand([...args, ...dataArgs], env);

  it('adds an admin with a one-time link, never a password', async () => {
    const r = await vigil('user', 'add', '--email', 'Root@Example.org', '--name', 'Root', '--admin');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Added root@example.org (admin).');
    expect(r.stdout).toMatch(/\/sign-in\/link#token=sil_[A-Za-z0-9_-]{43}/);
    const json = await vigil('user', 'list', '--json');
    expect(JSON.parse(json.stdout)).toEqual([
      expect.objectContaining({ email: 'root@example.org', isAdmin: true }),
    ]);
  });

  it('refuses bad input with a message and a non-zero exit', async () => {
    const dup = await vigil('user', 'add', '--email', 'root@example.org');
    expect(dup.code).toBe(1);
    expect(dup.stderr).toContain('already exists');
    const bad = await vigil('user', 'add', '--email', 'not-an-email');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--email');
    const preset = await vigil('project', 'create', 'demo', '--name', 'Demo', '--preset', 'nginx');
    expect(preset.code).toBe(2);
    expect(preset.stderr).toContain('contour');
    const expires = await vigil(
      'token',
      'create',
      '--email',
      'root@example.org',
      '--name',
      'x',
      '--expires',
      '5y',
    );
    expect(expires.code).toBe(2);
    expect(expires.stderr).toContain('--expires');
  });

  it('creates a project from a preset, adds a member, and prints a token once', async () => {
    const created = await vigil(
      'project',
      'create',
      'demo',
      '--name',
      'Demo Project',
      '--preset',
      'emissary',
      '--json',
    );
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({
      slug: 'demo',
      name: 'Demo Project',
      policyVersion: 1,
    });
    expect((await vigil('user', 'add', '--email', 'alice@example.org')).code).toBe(0);
    const member = await vigil(
      'project',
      'member',
      'add',
      'demo',
      '--email',
      'alice@example.org',
      '--role',
      'security-team',
    );
    expect(member.stdout).toContain('Added alice@example.org to demo as security-team.');
    const token = await vigil(
      'token',
      'create',
      '--email',
      'alice@example.org',
      '--name',
      'ci',
      '--expires',
      '30d',
      '--json',
    );
    expect(token.code).toBe(0);
    expect(JSON.parse(token.stdout).token).toMatch(/^vgl_/);
    const list = await vigil('project', 'list');
    expect(list.stdout).toContain('demo\tDemo Project\tpolicy v1');
  });

  it('verifies the audit chain, and names the first event that was tampered with', async () => {
    const ok = await vigil('audit', 'verify', '--json');
    expect(ok.code).toBe(0);
    const { events } = JSON.parse(ok.stdout) as { events: number };
    expect(events).toBeGreaterThan(5);
    const { db } = get();
    await db.kysely.updateTable('audit_events').set({ actor_id: 'mallory' }).where('seq', '=', 3).execute();
    const broken = await vigil('audit', 'verify');
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain('BROKEN at event #3');
  });

  it('migrates idempotently', async () => {
    const r = await vigil('migrate', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).applied).toEqual([]);
  });

  it('has --help on every command', async () => {
    for (const cmd of [
      [],
      ['serve'],
      ['user', 'add'],
      ['token', 'create'],
      ['project', 'create'],
      ['project', 'member', 'add'],
      ['audit', 'verify'],
      ['migrate'],
      ['policy', 'check'],
      ['calendar', 'add'],
      ['keys', 'rotate'],
    ]) {
      const r = await runCommand([...cmd, '--help']);
      expect(r.code, cmd.join(' ')).toBe(0);
      expect(r.stdout).toContain('Usage: vigil');
    }
  });
});
