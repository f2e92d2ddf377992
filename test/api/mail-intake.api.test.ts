/**
 * Intake by mail, as an MTA delivers it: `vigil mail ingest` reads the message on stdin. A plain
 * report, one encrypted with the real gpg to the key the project publishes, a reply to a
 * notification (matched by the case's reply address), mail that cannot be decrypted (kept, flagged,
 * the team told), and a reply from someone else (kept for the team, not shown to the reporter).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { caseReplyAddress } from '../../src/mail/outbound/addressing.js';
import { describeEachDb } from '../support/db.js';
import { runCommand } from '../support/cli.js';
import {
  buildTestApp,
  createUser,
  OPERATOR,
  tokenClient,
  type Client,
  type TestApp,
  seedTeamMember,
} from '../support/app.js';
import { createServices } from '../../src/server/services.js';
import { createKeyring } from '../../src/lib/crypto/keyring.js';
import { systemClock } from '../../src/lib/clock.js';

const GPG = '/usr/bin/gpg';
const MASTER_KEY = Buffer.alloc(32, 9);

describeEachDb('intake by mail', (get) => {
  let home: string;
  let env: Record<string, string | undefined>;
  let dataArgs: string[];
  let t: TestApp;
  let team: Client;

  const gpg = (args: string[], input?: string) =>
    execFileSync(GPG, ['--homedir', home, '--batch', '--no-tty', ...args], {
      input,
      stdio: ['pipe', 'pipe', 'pipe'],
    }).toString();
  const ingest = async (raw: string) => {
    const r = await runCommand(['mail', 'ingest', '--project', 'contour', '--json', ...dataArgs], env, raw);
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as { outcome: string; caseHumanId: string; flags: string[] };
  };
  const mail = (headers: Record<string, string>, body: string) =>
    `${Object.entries({ 'MIME-Version': '1.0', 'Content-Type': 'text/plain; charset=utf-8', ...headers })
      .map(([k, v]) => `${k}: ${v}`)
      .join('\r\n')}\r\n\r\n${body}\r\n`;

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'vigil-gpg-intake-'));
    const loc = get().location;
    env = {
      DATABASE_URL: loc.databaseUrl ?? '',
      VIGIL_MASTER_KEY: MASTER_KEY.toString('base64'),
      VIGIL_PUBLIC_URL: 'http://vigil.test',
    };
    dataArgs = loc.dataDir ? ['--data', loc.dataDir] : [];
    // The app under test shares the command line's database and master key.
    t = await buildTestApp(get().db, createKeyring({ current: MASTER_KEY }));
    await t.services.projects.createProject(OPERATOR, {
      slug: 'contour',
      name: 'Contour',
      preset: 'contour',
    });
    const member = await createUser(t);
    await seedTeamMember(t.db, 'contour', member.email);
    team = await tokenClient(t, member.id);
    // A webhook of the project: a mail that cannot be read is queued to it (case.undecryptable).
    const hook = await team.request('POST', '/api/v1/projects/contour/webhooks', {
      url: 'https://hooks.example.org/intake',
      kind: 'json',
      label: 'Intake',
    });
    expect(hook.statusCode, hook.body).toBe(201);
  });
  afterAll(async () => {
    await t.app.close();
    try {
      execFileSync('gpgconf', ['--homedir', home, '--kill', 'gpg-agent'], { stdio: 'ignore' });
    } catch {
      // no agent
    }
    rmSync(home, { recursive: true, force: true });
  });

  async function teamCase(humanId: string) {
    const res = await team.request('GET', `/api/v1/cases/${humanId}`);
    expect(res.statusCode).toBe(200);
    return res.json();
  }

  it('files a plain mail as a case in the team inbox, with its clock', async () => {
    const r = await ingest(
      mail(
        {
          From: 'Ada <ada@example.org>',
          To: 'contour@security.test',
          Subject: 'Auth bypass in HTTPProxy',
          'Message-ID': '<m1@example.org>',
        },
        'Steps: send a request with a crafted header.',
      ),
    );
    expect(r.outcome).toBe('new-case');
    const c = await teamCase(r.caseHumanId);
    expect(c).toMatchObject({
      channel: 'email',
      title: 'Auth bypass in HTTPProxy',
      reporter: { email: 'ada@example.org' },
      clock: { status: 'running' },
    });
    expect(c.report.reproduction).toContain('crafted header');
  });

  it('decrypts a report encrypted with gpg to the key the project publishes', async () => {
    const published = await t.app.inject({ method: 'GET', url: '/p/contour/pgp-key.asc' });
    expect(published.statusCode).toBe(200);
    expect(published.headers['content-type']).toContain('application/pgp-keys');
    gpg(['--import'], published.body);
    const fingerprint =
      /^fpr:::::::::([0-9A-F]{40}):/m.exec(gpg(['--with-colons', '--fingerprint']))?.[1] ?? '';
    const inline = gpg(
      ['--trust-model', 'always', '--armor', '--encrypt', '-r', fingerprint],
      'Secret steps: overflow the xDS buffer.',
    );
    const r1 = await ingest(
      mail(
        { From: 'Bob <bob@example.org>', To: 'contour@security.test', Subject: 'Encrypted report' },
        inline,
      ),
    );
    expect(r1.outcome).toBe('new-case');
    expect((await teamCase(r1.caseHumanId)).report.reproduction).toContain('overflow the xDS buffer');

    const entity = 'Content-Type: text/plain; charset=utf-8\r\n\r\nPGP/MIME steps: race the listener.\r\n';
    const armored = gpg(['--trust-model', 'always', '--armor', '--encrypt', '-r', fingerprint], entity);
    const pgpMime =
      'From: Carol <carol@example.org>\r\nTo: contour@security.test\r\nSubject: PGP/MIME report\r\nMIME-Version: 1.0\r\n' +
      'Content-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary="b"\r\n\r\n' +
      '--b\r\nContent-Type: application/pgp-encrypted\r\n\r\nVersion: 1\r\n\r\n' +
      `--b\r\nContent-Type: application/octet-stream\r\n\r\n${armored}\r\n--b--\r\n`;
    const r2 = await ingest(pgpMime);
    expect((await teamCase(r2.caseHumanId)).report.reproduction).toContain('race the listener');
  });

  it('adds a reply to its case, by the case reply address, and keeps other senders for the team', async () => {
    const first = await ingest(
      mail({ From: 'dora@example.org', To: 'contour@security.test', Subject: 'Report D' }, 'First.'),
    );
    const c = await teamCase(first.caseHumanId);
    const address = caseReplyAddress(c.id, await t.services.replySecret(), 'vigil.test');
    const reply = await ingest(
      mail(
        { From: 'Dora <dora@example.org>', To: address, Subject: 'Re: something unrelated' },
        'More detail from Dora.',
      ),
    );
    expect(reply).toMatchObject({ outcome: 'reply', caseHumanId: first.caseHumanId });
    const other = await ingest(
      mail({ From: 'mallory@example.org', To: address, Subject: 'Re: Report D' }, 'I am not Dora.'),
    );
    expect(other).toMatchObject({ outcome: 'kept-for-team', caseHumanId: first.caseHumanId });
    const after = await teamCase(first.caseHumanId);
    const fromDora = after.messages.find((m: { body: string }) => m.body.includes('More detail from Dora.'));
    expect(fromDora).toMatchObject({
      visibility: 'conversation',
      author: { type: 'reporter' },
      channel: 'email',
    });
    const note = after.messages.find((m: { body: string }) => m.body.includes('I am not Dora.'));
    expect(note).toMatchObject({
      visibility: 'internal',
      flags: expect.arrayContaining(['unverified-sender']),
    });
    // The subject alone never threads: a new mail with the same subject is a new case.
    const again = await ingest(
      mail({ From: 'dora@example.org', To: 'contour@security.test', Subject: 'Report D' }, 'Same subject.'),
    );
    expect(again.outcome).toBe('new-case');
  });

  it('keeps mail it cannot decrypt or parse, flags it, and tells the team', async () => {
    gpg([
      '--pinentry-mode',
      'loopback',
      '--passphrase',
      '',
      '--quick-generate-key',
      'Someone Else <else@example.org>',
      'future-default',
      'default',
      'never',
    ]);
    const wrongKey = gpg(
      ['--trust-model', 'always', '--armor', '--encrypt', '-r', 'else@example.org'],
      'for someone else',
    );
    const r = await ingest(
      mail({ From: 'eve@example.org', To: 'contour@security.test', Subject: 'Encrypted' }, wrongKey),
    );
    expect(r.flags).toContain('undecryptable');
    const c = await teamCase(r.caseHumanId);
    expect(c.flags).toContain('undecryptable');
    const broken = await ingest(
      'From: x@example.org\r\nSubject: broken\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="nope"\r\n\r\n--wrong\r\ngarbage\r\n',
    );
    expect(broken.outcome).toBe('new-case');
    const kept = await get()
      .db.kysely.selectFrom('inbound_mail')
      .select(['size_bytes', 'flags_json', 'case_id'])
      .execute();
    expect(kept.length).toBeGreaterThanOrEqual(8);
    expect(kept.every((k) => k.case_id !== null && k.size_bytes > 0)).toBe(true);
    const jobs = await get()
      .db.kysely.selectFrom('jobs')
      .select(['payload_json'])
      .where('kind', '=', 'case.mail')
      .execute();
    expect(jobs.some((j) => j.payload_json.includes('undecryptable.team'))).toBe(true);
    const hooked = await get()
      .db.kysely.selectFrom('webhook_deliveries as d')
      .innerJoin('cases as c', 'c.id', 'd.case_id')
      .select(['c.human_id', 'd.occurrence'])
      .where('d.event', '=', 'case.undecryptable')
      .execute();
    expect(hooked.map((h) => h.human_id)).toContain(r.caseHumanId);
  });

  it('refuses an unknown project and an empty message with the right exit codes', async () => {
    const unknown = await runCommand(
      ['mail', 'ingest', '--project', 'nope', ...dataArgs],
      env,
      mail({ From: 'a@b.c', Subject: 'x' }, 'x'),
    );
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("Project 'nope'");
    const empty = await runCommand(['mail', 'ingest', '--project', 'contour', ...dataArgs], env, '');
    expect(empty.code).toBe(65);
  });

  it('serves the services the command line uses from the same database', () => {
    expect(
      createServices({
        db: get().db,
        clock: systemClock,
        cipher: createKeyring({ current: MASTER_KEY }),
        publicUrl: 'http://vigil.test',
      }).mailIntake.replyDomain,
    ).toBe('vigil.test');
  });
});
