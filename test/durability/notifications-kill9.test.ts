/**
 * Issue 13's writes under kill -9 (SQLite, the real binary): reports filed, notification settings
 * changed and notifications marked read while the server is killed mid-stream. Every acknowledged
 * report is there afterwards and, once a new server has run the jobs the dead one left (their leases
 * expire), every member of the team has exactly one notification of it (none lost, none written
 * twice) and the project's webhook one queued `case.received` delivery, which reached the receiver.
 * Every acknowledged settings change and read mark is kept with its audit event, and the audit chain
 * verifies.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDb } from '../../src/db/connection.js';
import { runCommand } from '../support/cli.js';
import { startHookReceiver } from '../support/publication.js';
import { startServer, type RunningServer } from '../support/server.js';
import { startSmtpSink } from '../support/smtp-sink.js';
import { until } from '../support/until.js';

const MEMBERS = ['tess@example.org', 'theo@example.org'];

describe('notifications under kill -9', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-kill9-notify-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps every acknowledged report, setting and read mark, and tells each member and the webhook of each report once', async () => {
    const sink = await startSmtpSink();
    const receiver = await startHookReceiver();
    const env = {
      DATABASE_URL: '',
      VIGIL_SMTP_URL: sink.url,
      VIGIL_JOB_LEASE_SECONDS: '2',
      VIGIL_ALLOW_LOCAL_WEBHOOKS: 'true',
    };
    let server: RunningServer | undefined;
    try {
      const cli = async (...args: string[]) => {
        const r = await runCommand([...args, '--data', dir], env);
        expect(r.code, r.stderr).toBe(0);
        return r.stdout;
      };
      await cli('project', 'create', 'demo', '--name', 'Demo', '--preset', 'contour');
      for (const email of MEMBERS) {
        await cli('user', 'add', '--email', email);
        await cli('project', 'member', 'add', 'demo', '--email', email, '--role', 'security-team');
      }
      const token = JSON.parse(await cli('token', 'create', '--email', MEMBERS[0]!, '--name', 'k', '--json'))
        .token as string;
      server = await startServer(['--data', dir], env);
      const url = server.url;
      const hook = await fetch(`${url}/api/v1/projects/demo/webhooks`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          url: receiver.url('/hook'),
          kind: 'json',
          label: 'Hook',
          events: ['case.received'],
        }),
      });
      expect(hook.status, await hook.text()).toBe(201);

      const reports: string[] = [];
      const settings: string[] = [];
      let marked = 0;
      let attempted: string | undefined;
      const modes = ['digest', 'mail', 'none'] as const;
      // Reports and settings flow while the process is killed; only what was answered must survive.
      const writer = (async () => {
        for (let i = 0; i < 400; i++) {
          try {
            if (i % 6 === 5) {
              const res = await fetch(`${url}/api/v1/me/notifications/read`, {
                method: 'POST',
                headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
                body: JSON.stringify({ all: true }),
              });
              if (res.status === 200 && ((await res.json()) as { updated: number }).updated > 0) marked++;
            } else if (i % 3 === 2) {
              const mode = modes[Math.floor(i / 3) % modes.length]!;
              attempted = mode;
              const res = await fetch(`${url}/api/v1/me/notification-settings`, {
                method: 'PUT',
                headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
                body: JSON.stringify({ events: { 'message.team': mode } }),
              });
              if (res.status === 200) settings.push(mode);
            } else {
              const res = await fetch(`${url}/api/v1/projects/demo/reports`, {
                method: 'POST',
                headers: { 'content-type': 'application/json' },
                body: JSON.stringify({ subject: `Crash ${i}`, reproduction: 'Steps.' }),
              });
              if (res.status === 201) reports.push(((await res.json()) as { humanId: string }).humanId);
            }
          } catch {
            return; // the server is gone
          }
        }
      })();
      await until('some writes', async () =>
        reports.length >= 8 && settings.length >= 3 ? true : undefined,
      );
      await server.stop('SIGKILL');
      server = undefined;
      await writer;

      // A new start runs what the killed one left; wait until every report's team notice went.
      server = await startServer(['--data', dir], env);
      await until('every report told', async () => {
        const told = new Set(
          sink.messages.filter((m) => m.envelope.to.includes(MEMBERS[1]!)).map((m) => m.subject),
        );
        return reports.every((id) => [...told].some((s) => s.includes(`${id}: new report`)))
          ? true
          : undefined;
      });
      const hooked = (id: string) =>
        receiver.hits.some((h) => h.path === '/hook' && h.body.includes(`"${id}"`));
      await until('every report at the webhook', async () => (reports.every(hooked) ? true : undefined));
      await server.stop('SIGTERM');
      server = undefined;

      const db = openDb({ dataDir: dir });
      try {
        const cases = await db.kysely.selectFrom('cases').select('human_id').execute();
        const stored = new Set(cases.map((c) => c.human_id));
        expect(reports.filter((id) => !stored.has(id))).toEqual([]);
        const rows = await db.kysely
          .selectFrom('notifications')
          .innerJoin('users', 'users.id', 'notifications.user_id')
          .innerJoin('cases', 'cases.id', 'notifications.case_id')
          .select(['users.email', 'cases.human_id'])
          .where('notifications.event', '=', 'report-received.team')
          .execute();
        for (const email of MEMBERS) {
          const mine = rows.filter((r) => r.email === email).map((r) => r.human_id);
          // Every acknowledged report told once; a report filed but unanswered may be told too.
          expect(new Set(mine).size, email).toBe(mine.length);
          for (const id of reports) expect(mine, `${email} ${id}`).toContain(id);
        }
        const last = await db.kysely
          .selectFrom('notification_settings')
          .innerJoin('users', 'users.id', 'notification_settings.user_id')
          .select('notification_settings.mode')
          .where('users.email', '=', MEMBERS[0]!)
          .where('notification_settings.event', '=', 'message.team')
          .executeTakeFirst();
        // The last acknowledged change is kept, or the one the kill left unanswered after it.
        expect([settings.at(-1), attempted]).toContain(last?.mode);
        const audited = await db.kysely
          .selectFrom('audit_events')
          .select('id')
          .where('action', '=', 'user.notification_settings_set')
          .execute();
        expect(audited.length).toBeGreaterThanOrEqual(settings.length);
        const readMarks = await db.kysely
          .selectFrom('audit_events')
          .select('id')
          .where('action', '=', 'user.notifications_read')
          .execute();
        expect(readMarks.length).toBeGreaterThanOrEqual(marked);
        // One `case.received` delivery per case, queued with the report: none lost, none twice.
        const deliveries = await db.kysely
          .selectFrom('webhook_deliveries')
          .innerJoin('cases', 'cases.id', 'webhook_deliveries.case_id')
          .select(['cases.human_id', 'webhook_deliveries.state'])
          .where('webhook_deliveries.event', '=', 'case.received')
          .execute();
        const delivered = deliveries.map((d) => d.human_id);
        expect(new Set(delivered).size).toBe(delivered.length);
        for (const id of reports) expect(delivered, id).toContain(id);
        expect(deliveries.filter((d) => reports.includes(d.human_id)).map((d) => d.state)).toEqual(
          reports.map(() => 'sent'),
        );
      } finally {
        await db.close();
      }
      const verify = await runCommand(['audit', 'verify', '--data', dir], env);
      expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    } finally {
      await server?.stop('SIGKILL');
      await sink.close();
      await receiver.close();
    }
  }, 120_000);
});
