/**
 * Publication survives kill -9 without sending anything twice (issue 10: "a crash halfway resumes
 * without sending anything twice"). The real `vigil serve` on SQLite publishes a case at its
 * instant with a real SMTP sink and a webhook receiver that hold messages without answering; the
 * process is killed once right after the publication committed (every send still unanswered), and
 * once in the middle of the sends (three mails accepted, the next ones and the webhook unanswered). After the last restart every announcement
 * address, every distributor and the webhook got exactly one message, and the audit chain verifies.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDb } from '../../src/db/connection.js';
import { getPresetYaml } from '../../src/modules/policy/policy.presets.js';
import { runCommand } from '../support/cli.js';
import { insertDistributorOrg, insertDistributorPerson } from '../support/distributors.js';
import { publicationPolicy, startHookReceiver } from '../support/publication.js';
import { startServer, type RunningServer } from '../support/server.js';
import { startSmtpSink } from '../support/smtp-sink.js';
import { until } from '../support/until.js';

const ADDRESSES = Array.from({ length: 8 }, (_, i) => `list-${i}@example.org`);

describe('publication under kill -9', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-kill9-publication-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('resumes the sends after a crash, each message exactly once', async () => {
    const sink = await startSmtpSink();
    const receiver = await startHookReceiver();
    const env = {
      DATABASE_URL: '',
      VIGIL_SMTP_URL: sink.url,
      VIGIL_ALLOW_LOCAL_WEBHOOKS: 'true',
      VIGIL_JOB_LEASE_SECONDS: '2',
    };
    let server: RunningServer | undefined;
    try {
      const cli = async (...args: string[]) => {
        const r = await runCommand([...args, '--data', dir], env);
        expect(r.code, r.stderr).toBe(0);
        return r.stdout;
      };
      const policy = join(dir, 'policy.yaml');
      writeFileSync(policy, publicationPolicy(getPresetYaml('emissary'), ADDRESSES));
      await cli('project', 'create', 'demo', '--name', 'Demo', '--preset', policy);
      await cli('user', 'add', '--email', 'lead@example.org');
      await cli('user', 'add', '--email', 'packager@distro.example.org');
      await cli('project', 'member', 'add', 'demo', '--email', 'lead@example.org', '--role', 'security-team');
      const token = JSON.parse(
        await cli('token', 'create', '--email', 'lead@example.org', '--name', 'k', '--json'),
      ).token as string;
      server = await startServer(['--data', dir], env);
      const base = () => server?.url ?? '';
      const api = async (method: string, path: string, body?: unknown) => {
        const res = await fetch(`${base()}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        const text = await res.text();
        if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
        return text ? (JSON.parse(text) as Record<string, unknown>) : {};
      };

      // A case ready to publish: advisory with CVE id, the release out, a distributor, a webhook.
      await api('POST', '/api/v1/projects/demo/webhooks', {
        url: receiver.url('/hook'),
        kind: 'json',
        label: 'Hook',
        events: ['advisory.published'],
      });
      const filed = await fetch(`${base()}/api/v1/projects/demo/reports`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ subject: 'Crash on a long header', reproduction: 'Steps.' }),
      });
      const humanId = ((await filed.json()) as { humanId: string }).humanId;
      await api('POST', `/api/v1/cases/${humanId}/transitions`, { to: 'accepted' });
      const draft = await api('POST', `/api/v1/cases/${humanId}/advisory`);
      await api('PUT', `/api/v1/cases/${humanId}/advisory`, {
        baseRevision: draft.revision,
        document: {
          title: 'Crash on a long header',
          summary: 'A long header crashes the listener',
          description: 'A long header crashes the listener.',
          mitigations: 'Limit header sizes in front of it.',
          affected: [
            {
              ecosystem: 'Go',
              package: 'github.com/emissary-ingress/emissary',
              ranges: [{ type: 'SEMVER', events: [{ introduced: '1.28.0' }, { fixed: '1.28.4' }] }],
            },
          ],
          severity: { cvss: [{ vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:H' }] },
        },
      });
      await api('PUT', `/api/v1/cases/${humanId}/advisory/cve`, { cveId: 'CVE-2026-77777' });
      await api('POST', `/api/v1/cases/${humanId}/transitions`, { to: 'fixing' });
      await api('POST', `/api/v1/cases/${humanId}/transitions`, { to: 'fix-ready' });
      await api('PUT', `/api/v1/cases/${humanId}/releases/1.28`, { version: '1.28.4', state: 'published' });
      const distributor = await shareWithOneDistributor(dir, String(draft.caseId));
      // The team's notices before publication (the new report; the lead joining the team) go first:
      // out of the way.
      await until('the notice of the report', async () =>
        sink.messages.some((m) => m.subject.includes(`${humanId}: new report`)) ? true : undefined,
      );
      sink.clear();
      sink.hold(0);
      receiver.hold();
      const instant = new Date(Date.now() + 3000).toISOString();
      await api('POST', `/api/v1/cases/${humanId}/transitions`, {
        to: 'disclosure-scheduled',
        disclosureAt: instant,
      });

      // Crash 1: the publication committed, every send still unanswered.
      await until('the publication', async () =>
        (await api('GET', `/api/v1/cases/${humanId}/publication`)).state === 'published' ? true : undefined,
      );
      await until('a send in flight', async () => (sink.held > 0 ? true : undefined));
      await server.stop('SIGKILL');
      expect(sink.messages).toEqual([]);

      // Crash 2: three messages accepted (and recorded as sent), the next ones unanswered.
      sink.hold(3);
      server = await startServer(['--data', dir], env);
      const sent = async () =>
        (await api('GET', `/api/v1/cases/${humanId}/publication`)) as {
          announcement: { messages: { state: string }[] };
          followUps: { state: string }[];
        };
      await until('three sends recorded', async () => {
        const view = await sent();
        const count = [...view.announcement.messages, ...view.followUps].filter(
          (m) => m.state === 'sent',
        ).length;
        return count === 3 && sink.messages.length === 3 && sink.held > 0 ? true : undefined;
      });
      await server.stop('SIGKILL');

      // The last start: everything left goes, once. (What the killed process left unanswered was never
      // accepted: dropped, as a server drops a message whose client is gone before its answer.)
      sink.release(false);
      receiver.release(false);
      server = await startServer(['--data', dir], env);
      const everyone = [...ADDRESSES, distributor];
      await until('every message', async () => {
        const view = await sent();
        const all = [...view.announcement.messages, ...view.followUps];
        return all.length === everyone.length && all.every((m) => m.state === 'sent') ? true : undefined;
      });
      const recipients = sink.messages.flatMap((m) => m.envelope.to).sort();
      expect(recipients).toEqual([...everyone].sort());
      expect(new Set(sink.messages.map((m) => m.messageId)).size).toBe(everyone.length);
      expect(receiver.hits.filter((h) => h.path === '/hook')).toHaveLength(1);
      await server.stop('SIGTERM');
      server = undefined;

      const db = openDb({ dataDir: dir });
      try {
        const actions = await db.kysely
          .selectFrom('audit_events')
          .select('action')
          .where('action', 'in', ['case.published', 'publication.published', 'advisory.published'])
          .execute();
        expect(actions.map((a) => a.action).sort()).toEqual([
          'advisory.published',
          'case.published',
          'publication.published',
        ]);
      } finally {
        await db.close();
      }
      const verify = await runCommand(['audit', 'verify', '--data', dir], env);
      expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    } finally {
      sink.release();
      await server?.stop('SIGKILL');
      await sink.close();
      await receiver.close();
    }
  }, 180_000);
});

/** A distributors' organisation with one active person, the case shared with it (as an early disclosure does). */
async function shareWithOneDistributor(dir: string, caseId: string): Promise<string> {
  const db = openDb({ dataDir: dir });
  try {
    const k = db.kysely;
    const now = new Date().toISOString();
    const project = await k
      .selectFrom('projects')
      .select('id')
      .where('slug', '=', 'demo')
      .executeTakeFirstOrThrow();
    const email = 'packager@distro.example.org';
    const user = await k
      .selectFrom('users')
      .select('id')
      .where('email', '=', email)
      .executeTakeFirstOrThrow();
    const orgId = await insertDistributorOrg(k, {
      projectId: project.id,
      name: 'Distro',
      contactAlias: 'security@distro.example.org',
      now,
    });
    await insertDistributorPerson(k, {
      orgId,
      projectId: project.id,
      userId: user.id,
      name: 'Packager',
      now,
      embargoHash: 'a'.repeat(64),
    });
    await k
      .insertInto('case_distributor_shares')
      .values({ case_id: caseId, org_id: orgId, shared_at: now, shared_by_user_id: null })
      .execute();
    return email;
  } finally {
    await db.close();
  }
}
